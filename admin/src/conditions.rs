//! Conditions as admins edit them, shared by the routing rules and the dialogue audience: the
//! test (`Op`), what it compares with (`Operand`) and one row being edited (`ConditionDraft`),
//! converted to and from the domain's `targeting::Condition`. Pure, tested natively.

use confab_domain::targeting::Condition;
use std::sync::atomic::{AtomicU32, Ordering};

static NEXT_KEY: AtomicU32 = AtomicU32::new(1);

/// A key no other row of this page has, so keyed lists keep their rows (and focus) while the
/// rows around them move, come or go.
pub fn fresh_key() -> u32 {
    NEXT_KEY.fetch_add(1, Ordering::Relaxed)
}

/// A condition's test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// Equals the value.
    Equals,
    /// Known and not equal to the value.
    NotEquals,
    /// Contains the value.
    Contains,
    /// Starts with the value.
    StartsWith,
    /// Equals one of the values.
    InList,
    /// Absent or blank.
    IsEmpty,
    /// Present and not blank.
    IsNotEmpty,
    /// A number greater than the value.
    GreaterThan,
    /// A number less than the value.
    LessThan,
}

/// What a test compares with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operand {
    /// Nothing.
    None,
    /// One text.
    Text,
    /// Several texts, one per line.
    List,
    /// A number.
    Number,
}

impl Op {
    /// Every test, in the order offered.
    pub const ALL: [Op; 9] = [
        Op::Equals,
        Op::NotEquals,
        Op::Contains,
        Op::StartsWith,
        Op::InList,
        Op::IsEmpty,
        Op::IsNotEmpty,
        Op::GreaterThan,
        Op::LessThan,
    ];

    /// The name stored (`equals`), also the `<option>` value.
    pub fn slug(self) -> &'static str {
        match self {
            Op::Equals => "equals",
            Op::NotEquals => "not_equals",
            Op::Contains => "contains",
            Op::StartsWith => "starts_with",
            Op::InList => "in_list",
            Op::IsEmpty => "is_empty",
            Op::IsNotEmpty => "is_not_empty",
            Op::GreaterThan => "greater_than",
            Op::LessThan => "less_than",
        }
    }

    /// The words between the field and the value.
    pub fn label(self) -> &'static str {
        match self {
            Op::Equals => "is",
            Op::NotEquals => "is not",
            Op::Contains => "contains",
            Op::StartsWith => "starts with",
            Op::InList => "is one of",
            Op::IsEmpty => "is empty or unknown",
            Op::IsNotEmpty => "is known",
            Op::GreaterThan => "is more than",
            Op::LessThan => "is less than",
        }
    }

    /// The test an `<option>` value names; equals for anything else.
    pub fn from_slug(slug: &str) -> Op {
        Op::ALL.into_iter().find(|op| op.slug() == slug).unwrap_or(Op::Equals)
    }

    /// What it compares with.
    pub fn operand(self) -> Operand {
        match self {
            Op::Equals | Op::NotEquals | Op::Contains | Op::StartsWith => Operand::Text,
            Op::InList => Operand::List,
            Op::IsEmpty | Op::IsNotEmpty => Operand::None,
            Op::GreaterThan | Op::LessThan => Operand::Number,
        }
    }
}

/// One condition being edited.
#[derive(Debug, Clone)]
pub struct ConditionDraft {
    /// Identifies the row; not part of the value.
    pub key: u32,
    /// What is tested: `lead.<field>` or `answer.<card id>`.
    pub field: String,
    /// The test.
    pub op: Op,
    /// What it compares with; for a list, one value per line.
    pub value: String,
}

impl PartialEq for ConditionDraft {
    fn eq(&self, other: &Self) -> bool {
        self.field == other.field && self.op == other.op && self.value == other.value
    }
}

impl ConditionDraft {
    /// A new, blank condition.
    pub fn new() -> Self {
        ConditionDraft { key: fresh_key(), field: String::new(), op: Op::Equals, value: String::new() }
    }

    pub fn from_condition(condition: &Condition) -> Self {
        let (op, value) = match condition {
            Condition::Equals { value, .. } => (Op::Equals, value.clone()),
            Condition::NotEquals { value, .. } => (Op::NotEquals, value.clone()),
            Condition::Contains { value, .. } => (Op::Contains, value.clone()),
            Condition::StartsWith { value, .. } => (Op::StartsWith, value.clone()),
            Condition::InList { values, .. } => (Op::InList, values.join("\n")),
            Condition::IsEmpty { .. } => (Op::IsEmpty, String::new()),
            Condition::IsNotEmpty { .. } => (Op::IsNotEmpty, String::new()),
            Condition::GreaterThan { value, .. } => (Op::GreaterThan, value.clone()),
            Condition::LessThan { value, .. } => (Op::LessThan, value.clone()),
        };
        ConditionDraft { key: fresh_key(), field: condition.field().to_owned(), op, value }
    }

    /// The values of a list, one per line, blank lines skipped.
    pub fn values(&self) -> Vec<String> {
        self.value.lines().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned).collect()
    }

    /// The condition testing `field`, or what is wrong with its value.
    pub fn to_condition(&self, field: String) -> Result<Condition, String> {
        let value = self.value.trim().to_owned();
        match self.op.operand() {
            Operand::Text if value.is_empty() => return Err("Enter the value to compare with.".into()),
            Operand::List if self.values().is_empty() => return Err("Enter at least one value, one per line.".into()),
            Operand::Number if !value.parse::<f64>().is_ok_and(f64::is_finite) => {
                return Err("Enter a number, such as 500.".into());
            }
            _ => {}
        }
        Ok(match self.op {
            Op::Equals => Condition::Equals { field, value },
            Op::NotEquals => Condition::NotEquals { field, value },
            Op::Contains => Condition::Contains { field, value },
            Op::StartsWith => Condition::StartsWith { field, value },
            Op::InList => Condition::InList { field, values: self.values() },
            Op::IsEmpty => Condition::IsEmpty { field },
            Op::IsNotEmpty => Condition::IsNotEmpty { field },
            Op::GreaterThan => Condition::GreaterThan { field, value },
            Op::LessThan => Condition::LessThan { field, value },
        })
    }

    /// The condition in words: `answer.size is "500+"`, `lead.country is one of "US", "CA"`.
    pub fn summary(&self) -> String {
        let field = match self.field.trim() {
            "" => return "an unfinished condition".to_owned(),
            f => f,
        };
        let quoted = |v: &str| format!("\u{201c}{v}\u{201d}");
        match self.op.operand() {
            Operand::None => format!("{field} {}", self.op.label()),
            Operand::List => {
                let values: Vec<String> = self.values().iter().map(|v| quoted(v)).collect();
                format!("{field} {} {}", self.op.label(), values.join(", "))
            }
            Operand::Text | Operand::Number => format!("{field} {} {}", self.op.label(), quoted(self.value.trim())),
        }
    }
}
