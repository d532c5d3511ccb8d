//! The validator's table: flows with known problems and the diagnostics they must produce, all
//! at once and each with the card it concerns.

use super::*;

/// A diagnostic as the table writes it: the card (if any) and the message.
type Expected<'a> = &'a [(Option<&'a str>, &'a str)];

fn check(name: &str, cards: &str, expected: Expected<'_>) {
    check_flow(name, &format!(r#"{{"start":"a","cards":[{cards}]}}"#), expected);
}

fn check_flow(name: &str, json: &str, expected: Expected<'_>) {
    let actual: Vec<(Option<String>, String)> =
        parse(json).validate(&FIELDS).into_iter().map(|d| (d.card.map(|c| c.0), d.message)).collect();
    let expected: Vec<(Option<String>, String)> =
        expected.iter().map(|(card, message)| (card.map(str::to_owned), (*message).to_owned())).collect();
    assert_eq!(actual, expected, "case {name:?}");
}

#[test]
fn valid_flows_have_no_diagnostics() {
    let cases = [
        ("one end card", r#"{"type":"end","id":"a"}"#),
        ("a message that ends", r#"{"type":"message","id":"a","text":"Bye"}"#),
        (
            "a loop through a question waits for the visitor",
            r#"{"type":"message","id":"a","text":"Hi","next":"q"},
               {"type":"question","id":"q","text":"Again?","buttons":[
                   {"label":"Yes","value":"y","next":"a"},{"label":"No","value":"n","next":"e"}]},
               {"type":"end","id":"e"}"#,
        ),
        (
            "a loop through a booking waits for the visitor",
            r#"{"type":"book_meeting","id":"a","duration_minutes":30,"next":"m"},
               {"type":"message","id":"m","text":"Another?","next":"a"}"#,
        ),
        (
            "every card type, tokens and rules on known fields",
            r#"{"type":"message","id":"a","text":"Hi {{lead.firstName:\"there\"}}","next":"c"},
               {"type":"capture","id":"c","text":"Email?","kind":"email","field":"email","next":"b"},
               {"type":"branch","id":"b","rules":[
                   {"when":{"conditions":[{"op":"equals","field":"answer.c","value":"x"}]},"next":"g"},
                   {"when":{"mode":"any","conditions":[{"op":"greater_than","field":"lead.employees","value":"10"}],
                            "groups":[{"conditions":[{"op":"is_empty","field":"lead.country"}]}]},"next":"d"}],
                "default":"e"},
               {"type":"goal","id":"g","name":"qualified","score":0,"next":"d"},
               {"type":"document","id":"d","title":"Guide","url":"https://example.com/a?b=c#d","next":"e"},
               {"type":"end","id":"e"}"#,
        ),
    ];
    for (name, cards) in cases {
        check(name, cards, &[]);
    }
}

#[test]
fn start_problems() {
    check_flow(
        "no start",
        r#"{"start":"","cards":[{"type":"end","id":"a"}]}"#,
        &[
            (None, "The flow has no start card."),
            // Without a start, reachability is not judged: every card would be reported.
        ],
    );
    check_flow(
        "start missing",
        r#"{"start":"nowhere","cards":[{"type":"end","id":"a"}]}"#,
        &[(None, "The start card \"nowhere\" does not exist.")],
    );
    check_flow("no cards at all", r#"{"start":"a","cards":[]}"#, &[(None, "The start card \"a\" does not exist.")]);
}

#[test]
fn link_problems() {
    let cases: [(&str, &str, Expected<'_>); 5] = [
        (
            "dangling next",
            r#"{"type":"message","id":"a","text":"Hi","next":"missing"}"#,
            &[(Some("a"), "Links to a card \"missing\" that does not exist.")],
        ),
        (
            "empty link on a button",
            r#"{"type":"question","id":"a","text":"Q","buttons":[{"label":"Yes","value":"y","next":""}]}"#,
            &[(Some("a"), "A link has no card to lead to.")],
        ),
        (
            "branch without a default",
            r#"{"type":"branch","id":"a","rules":[{"when":{"conditions":[]},"next":"e"}]},{"type":"end","id":"e"}"#,
            &[(Some("a"), "A branch needs a default card for when no rule holds.")],
        ),
        (
            "dangling rule and default",
            r#"{"type":"branch","id":"a","rules":[{"when":{"conditions":[]},"next":"x"}],"default":"y"}"#,
            &[
                (Some("a"), "Links to a card \"x\" that does not exist."),
                (Some("a"), "Links to a card \"y\" that does not exist."),
            ],
        ),
        (
            "unreachable cards",
            r#"{"type":"end","id":"a"},{"type":"message","id":"b","text":"Lost","next":"c"},{"type":"end","id":"c"}"#,
            &[
                (Some("b"), "No path from the start reaches this card."),
                (Some("c"), "No path from the start reaches this card."),
            ],
        ),
    ];
    for (name, cards, expected) in cases {
        check(name, cards, expected);
    }
}

#[test]
fn loops_without_input() {
    let cases: [(&str, &str, Expected<'_>); 4] = [
        (
            "two messages",
            r#"{"type":"message","id":"a","text":"x","next":"b"},{"type":"message","id":"b","text":"y","next":"a"}"#,
            &[(Some("a"), "These cards loop without waiting for the visitor: a, b.")],
        ),
        (
            "a card that leads to itself",
            r#"{"type":"goal","id":"a","name":"g","score":1,"next":"a"}"#,
            &[(Some("a"), "These cards loop without waiting for the visitor: a.")],
        ),
        (
            "a capture is skipped the second time round",
            r#"{"type":"capture","id":"a","text":"Email?","kind":"email","field":"email","next":"b"},
               {"type":"branch","id":"b","rules":[],"default":"a"}"#,
            &[(Some("a"), "These cards loop without waiting for the visitor: a, b.")],
        ),
        (
            "two separate loops, each reported once at its first card",
            r#"{"type":"question","id":"a","text":"Q","buttons":[
                   {"label":"1","value":"1","next":"b"},{"label":"2","value":"2","next":"d"}]},
               {"type":"message","id":"b","text":"x","next":"c"},
               {"type":"document","id":"c","title":"t","url":"https://x.test","next":"b"},
               {"type":"message","id":"d","text":"y","next":"e"},
               {"type":"branch","id":"e","rules":[{"when":{"conditions":[]},"next":"d"}],"default":"a"}"#,
            &[
                (Some("b"), "These cards loop without waiting for the visitor: b, c."),
                (Some("d"), "These cards loop without waiting for the visitor: d, e."),
            ],
        ),
    ];
    for (name, cards, expected) in cases {
        check(name, cards, expected);
    }
}

#[test]
fn content_problems() {
    let cases: [(&str, &str, Expected<'_>); 16] = [
        ("empty message", r#"{"type":"message","id":"a","text":"  "}"#, &[(Some("a"), "The text is empty.")]),
        (
            "question without text or buttons",
            r#"{"type":"question","id":"a","text":"","buttons":[]}"#,
            &[(Some("a"), "The text is empty."), (Some("a"), "A question needs at least one button.")],
        ),
        (
            "buttons without label or value, and a repeated value",
            r#"{"type":"question","id":"a","text":"Q","buttons":[
                {"label":" ","value":"v","next":"e"},{"label":"B","value":"","next":"e"},{"label":"C","value":"v","next":"e"}]},
               {"type":"end","id":"e"}"#,
            &[
                (Some("a"), "Button 1 has no label."),
                (Some("a"), "Button 2 has no value."),
                (Some("a"), "Two buttons store the same value \"v\"."),
            ],
        ),
        (
            "capture into an unknown field",
            r#"{"type":"capture","id":"a","text":"Shoe size?","kind":"text","field":"shoeSize"}"#,
            &[(Some("a"), "Captures into \"shoeSize\", which is not a known lead field.")],
        ),
        (
            "capture without field or text",
            r#"{"type":"capture","id":"a","text":"","kind":"phone","field":""}"#,
            &[(Some("a"), "The text is empty."), (Some("a"), "A capture needs a lead field to store the answer in.")],
        ),
        (
            "token to an unknown attribute",
            r#"{"type":"message","id":"a","text":"Hi {{lead.nickname:\"you\"}} at {{lead.company}}"}"#,
            &[(Some("a"), "The token {{lead.nickname}} names \"nickname\", which is not a known lead field.")],
        ),
        (
            "malformed tokens",
            r#"{"type":"question","id":"a","text":"Hi {{firstName}} {{lead.x:there}} {{lead.email","buttons":[
                {"label":"Ok","value":"ok","next":"a"}]}"#,
            &[
                (
                    Some("a"),
                    "\"{{firstName}}\" is not a personalisation token; write {{lead.field}} or {{lead.field:\"default\"}}.",
                ),
                (
                    Some("a"),
                    "\"{{lead.x:there}}\" is not a personalisation token; write {{lead.field}} or {{lead.field:\"default\"}}.",
                ),
                (
                    Some("a"),
                    "\"{{lead.email\" is not a personalisation token; write {{lead.field}} or {{lead.field:\"default\"}}.",
                ),
            ],
        ),
        (
            "tokens in captures and documents are checked too",
            r#"{"type":"capture","id":"a","text":"{{lead.pet}}?","kind":"text","field":"notes","next":"d"},
               {"type":"document","id":"d","title":"For {{lead.pet}}","url":"https://x.test"}"#,
            &[
                (Some("a"), "The token {{lead.pet}} names \"pet\", which is not a known lead field."),
                (Some("d"), "The token {{lead.pet}} names \"pet\", which is not a known lead field."),
            ],
        ),
        (
            "goal without a name and with a score above 3",
            r#"{"type":"goal","id":"a","name":"","score":7}"#,
            &[(Some("a"), "The goal has no name."), (Some("a"), "A goal's score must be between 0 and 3, not 7.")],
        ),
        (
            "document over http",
            r#"{"type":"document","id":"a","title":"Guide","url":"http://example.com/guide.pdf"}"#,
            &[(Some("a"), "The document link must be an https:// address.")],
        ),
        (
            "document with a script address and no title",
            r#"{"type":"document","id":"a","title":" ","url":"javascript:alert(1)"}"#,
            &[(Some("a"), "The document has no title."), (Some("a"), "The document link must be an https:// address.")],
        ),
        (
            "document addresses that only look like https",
            r#"{"type":"document","id":"a","title":"1","url":"https://","next":"b"},
               {"type":"document","id":"b","title":"2","url":"https://x.test/a b","next":"c"},
               {"type":"document","id":"c","title":"3","url":"https://x.test/\"onmouseover=","next":"d"},
               {"type":"document","id":"d","title":"4","url":" https://x.test"}"#,
            &[
                (Some("a"), "The document link must be an https:// address."),
                (Some("b"), "The document link must be an https:// address."),
                (Some("c"), "The document link must be an https:// address."),
                (Some("d"), "The document link must be an https:// address."),
            ],
        ),
        (
            "meeting too long",
            r#"{"type":"book_meeting","id":"a","duration_minutes":600}"#,
            &[(Some("a"), "Meeting length must be between 5 and 480 minutes.")],
        ),
        (
            "rules on unknown fields, missing cards and non-numbers",
            r#"{"type":"message","id":"a","text":"Hi","next":"b"},
               {"type":"branch","id":"b","rules":[
                {"when":{"conditions":[{"op":"equals","field":"lead.shoeSize","value":"9"}]},"next":"e"},
                {"when":{"conditions":[{"op":"equals","field":"answer.nowhere","value":"x"}]},"next":"e"},
                {"when":{"groups":[{"conditions":[{"op":"equals","field":"answer.a","value":"x"}]}]},"next":"e"},
                {"when":{"conditions":[{"op":"is_empty","field":"country"}]},"next":"e"},
                {"when":{"conditions":[{"op":"less_than","field":"lead.employees","value":"many"}]},"next":"e"},
                {"when":{"conditions":[{"op":"equals","field":"agents.free_today","value":"maybe"}]},"next":"e"},
                {"when":{"conditions":[{"op":"equals","field":"agents.free_today","value":"yes"}]},"next":"e"},
                {"when":{"conditions":[{"op":"is_empty","field":"agents.on_duty"}]},"next":"e"}],
                "default":"e"},
               {"type":"end","id":"e"}"#,
            &[
                (Some("b"), "Rule 1 tests \"shoeSize\", which is not a known lead field."),
                (Some("b"), "Rule 2 tests the answer to a card \"nowhere\" that does not exist."),
                (Some("b"), "Rule 3 tests the answer to \"a\", which is not a question, capture or booking."),
                (Some("b"), "Rule 4 tests \"country\"; write lead.<field>, answer.<card id> or agents.free_today."),
                (Some("b"), "Rule 5 compares with \"many\", which is not a number."),
                (
                    Some("b"),
                    "Rule 6 tests agents.free_today, which is yes or no: use equals (or not equals) yes or no.",
                ),
                (
                    Some("b"),
                    "Rule 8 tests \"agents.on_duty\"; write lead.<field>, answer.<card id> or agents.free_today.",
                ),
            ],
        ),
        (
            "duplicate ids",
            r#"{"type":"message","id":"a","text":"Hi","next":"b"},{"type":"end","id":"b"},{"type":"end","id":"b"}"#,
            &[(Some("b"), "Card id \"b\" is used twice.")],
        ),
        (
            "ids that cannot be links",
            r#"{"type":"message","id":"a","text":"Hi","next":"b c"},{"type":"end","id":"b c"}"#,
            &[(Some("b c"), "Card id \"b c\" is not valid: use 1 to 64 letters, digits, - and _.")],
        ),
    ];
    for (name, cards, expected) in cases {
        check(name, cards, expected);
    }
}

#[test]
fn every_problem_at_once() {
    check_flow(
        "many problems",
        r#"{"start":"a","cards":[
            {"type":"message","id":"a","text":" ","next":"missing"},
            {"type":"question","id":"q","text":"Pick","buttons":[]},
            {"type":"end","id":"a"},
            {"type":"capture","id":"c","text":"Hi {{lead.nope}}","kind":"email","field":"nope","next":"c"},
            {"type":"goal","id":"g","name":"g","score":4,"next":"q"},
            {"type":"document","id":"d","title":"Doc","url":"ftp://x.test"}]}"#,
        &[
            (Some("a"), "Links to a card \"missing\" that does not exist."),
            (Some("a"), "The text is empty."),
            (Some("q"), "A question needs at least one button."),
            (Some("q"), "No path from the start reaches this card."),
            (Some("a"), "Card id \"a\" is used twice."),
            (Some("c"), "The token {{lead.nope}} names \"nope\", which is not a known lead field."),
            (Some("c"), "Captures into \"nope\", which is not a known lead field."),
            (Some("c"), "No path from the start reaches this card."),
            (Some("c"), "These cards loop without waiting for the visitor: c."),
            (Some("g"), "A goal's score must be between 0 and 3, not 4."),
            (Some("g"), "No path from the start reaches this card."),
            (Some("d"), "The document link must be an https:// address."),
            (Some("d"), "No path from the start reaches this card."),
        ],
    );
}

#[test]
fn known_fields_come_from_the_caller() {
    let flow = parse(
        r#"{"start":"a","cards":[{"type":"capture","id":"a","text":"{{lead.shoeSize}}?","kind":"text","field":"shoeSize"}]}"#,
    );
    assert_eq!(flow.validate(&["shoeSize"]), vec![]);
    assert_eq!(flow.validate(&[]).len(), 2);
}
