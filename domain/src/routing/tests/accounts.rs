//! Account routing: which key matches, and the CSV import.

use super::*;

/// The owner found for a visitor with this email and company, and how.
fn owner(routes: &[AccountRoute], email: Option<&str>, company: Option<&str>) -> Option<(MatchedBy, String)> {
    super::super::accounts::account_owner(routes, email, company).map(|(by, agent)| (by, agent.to_string()))
}

fn domain(d: &str, owner: &str) -> AccountRoute {
    AccountRoute { key: AccountKey::Domain(d.to_owned()), owner: id(owner) }
}

fn company(c: &str, owner: &str) -> AccountRoute {
    AccountRoute { key: AccountKey::Company(c.to_owned()), owner: id(owner) }
}

#[test]
fn domains_match_exactly_after_lowercasing() {
    let routes = [domain("acme.com", "a"), domain("@Globex.io", "b"), domain("acme.com", "c")];
    let by_domain = |owner: &str| Some((MatchedBy::Domain, owner.to_owned()));
    assert_eq!(owner(&routes, Some("jo@acme.com"), None), by_domain("a"));
    assert_eq!(owner(&routes, Some("  Jo.Smith@ACME.COM "), None), by_domain("a"));
    assert_eq!(owner(&routes, Some("jo@globex.io"), None), by_domain("b"));
    // Not a subdomain, not a parent domain, not a lookalike.
    assert_eq!(owner(&routes, Some("jo@eu.acme.com"), None), None);
    assert_eq!(owner(&routes, Some("jo@io"), None), None);
    assert_eq!(owner(&routes, Some("jo@notacme.com"), None), None);
    assert_eq!(owner(&routes, Some("acme.com"), None), None);
    assert_eq!(owner(&routes, Some("jo@"), None), None);
    assert_eq!(owner(&routes, None, None), None);
}

#[test]
fn companies_match_ignoring_case_and_blanks() {
    let routes = [company("Acme, Inc.", "a"), company(" Société Générale ", "b"), domain("acme.com", "d")];
    let by_company = |owner: &str| Some((MatchedBy::Company, owner.to_owned()));
    assert_eq!(owner(&routes, None, Some("acme, inc.")), by_company("a"));
    assert_eq!(owner(&routes, None, Some("  ACME, INC.  ")), by_company("a"));
    assert_eq!(owner(&routes, None, Some("SOCIÉTÉ GÉNÉRALE")), by_company("b"));
    assert_eq!(owner(&routes, None, Some("Acme")), None);
    assert_eq!(owner(&routes, None, Some("   ")), None);
    // The domain wins over the company; a domain that matches nothing falls back to the company.
    assert_eq!(
        owner(&routes, Some("jo@acme.com"), Some("Société Générale")),
        Some((MatchedBy::Domain, "d".to_owned()))
    );
    assert_eq!(owner(&routes, Some("jo@gmail.com"), Some("Acme, Inc.")), by_company("a"));
}

#[test]
fn keys_are_normalised() {
    assert_eq!(AccountKey::domain(" @ACME.com "), Some(AccountKey::Domain("acme.com".to_owned())));
    assert_eq!(AccountKey::domain("sub.acme.co.uk"), Some(AccountKey::Domain("sub.acme.co.uk".to_owned())));
    for bad in
        ["", "acme", "acme..com", "https://acme.com", "acme.com/x", "jo@acme.com", "-acme.com", "acme.123", "ac me.com"]
    {
        assert_eq!(AccountKey::domain(bad), None, "{bad}");
    }
    assert_eq!(AccountKey::company("  Acme "), Some(AccountKey::Company("Acme".to_owned())));
    assert_eq!(AccountKey::company("  "), None);
}

#[cfg(feature = "calendar")]
mod csv {
    use super::*;
    use std::collections::HashMap;

    fn agents() -> HashMap<String, AgentId> {
        [("ann@confab.test", "agent-1"), ("Bob@Confab.test", "agent-2")]
            .into_iter()
            .map(|(email, agent)| (email.to_owned(), id(agent)))
            .collect()
    }

    fn parse(text: &str) -> Result<Vec<AccountRoute>, Vec<String>> {
        parse_accounts_csv(text, &agents()).map_err(|errors| errors.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn a_good_file() {
        let routes = parse("domain,owner_email\nacme.com,ann@confab.test\n@Globex.io,BOB@confab.test\n");
        assert_eq!(routes, Ok(vec![domain("acme.com", "agent-1"), domain("globex.io", "agent-2")]));
        let routes = parse("company,owner_email\nAcme,ann@confab.test");
        assert_eq!(routes, Ok(vec![company("Acme", "agent-1")]));
        // Both columns, in any order and case; a line may give either or both.
        let routes = parse(
            "Owner Email,Company,DOMAIN\r\nann@confab.test,Acme,acme.com\r\nbob@confab.test,,globex.io\r\nbob@confab.test,Initech,\r\n",
        );
        assert_eq!(
            routes,
            Ok(vec![
                domain("acme.com", "agent-1"),
                company("Acme", "agent-1"),
                domain("globex.io", "agent-2"),
                company("Initech", "agent-2"),
            ])
        );
        // A header alone imports nothing, successfully.
        assert_eq!(parse("domain,owner_email\n"), Ok(vec![]));
    }

    #[test]
    fn quotes_bom_and_blank_lines() {
        let text = "\u{feff}company,owner_email\n\n\"Acme, Inc.\",ann@confab.test\n   \n,\n\"Say \"\"Hi\"\" Ltd\",\"bob@confab.test\"\n";
        assert_eq!(parse(text), Ok(vec![company("Acme, Inc.", "agent-1"), company("Say \"Hi\" Ltd", "agent-2")]));
    }

    #[test]
    fn one_bad_line_imports_nothing() {
        let text =
            "domain,owner_email\nacme.com,ann@confab.test\nnot a domain,bob@confab.test\nglobex.io,bob@confab.test\n";
        assert_eq!(
            parse(text),
            Err(vec!["Line 3: \"not a domain\" is not a valid domain; write it like example.com.".to_owned()])
        );
    }

    #[test]
    fn every_error_is_reported_with_its_line() {
        let text = concat!(
            "domain,company,owner_email\n",
            "acme.com,,ann@confab.test\n",          // 2: fine
            "ACME.com,,bob@confab.test\n",          // 3: the same domain again
            ",Globex,carol@confab.test\n",          // 4: unknown owner
            "globex.io,,\n",                        // 5: no owner
            ",,bob@confab.test\n",                  // 6: no key
            "initech.com,,bob@confab.test,extra\n", // 7: too many cells
            "\"multi\n",                            // 8-9: a quoted line break
            "line\",,ann@confab.test\n",
            ",globex,ann@confab.test\n",  // 10: Globex is on line 4, whose owner is unknown
            ",GLOBEX ,bob@confab.test\n", // 11: the same company again
            "a.io,,ann@confab.test,\n",   // 12: a trailing empty cell is fine
            "not-a-domain,,nobody@confab.test\n", // 13: two problems
        );
        assert_eq!(
            parse(text),
            Err(vec![
                "Line 3: The domain \"acme.com\" is already on line 2.".to_owned(),
                "Line 4: No agent has the email \"carol@confab.test\".".to_owned(),
                "Line 5: The owner_email is empty.".to_owned(),
                "Line 6: The line has neither a domain nor a company.".to_owned(),
                "Line 7: The line has 4 cells, but the header names 3 columns.".to_owned(),
                "Line 8: \"multi\nline\" is not a valid domain; write it like example.com.".to_owned(),
                "Line 10: The company \"globex\" is already on line 4.".to_owned(),
                "Line 11: The company \"GLOBEX\" is already on line 4.".to_owned(),
                "Line 13: \"not-a-domain\" is not a valid domain; write it like example.com.".to_owned(),
                "Line 13: No agent has the email \"nobody@confab.test\".".to_owned(),
            ])
        );
    }

    #[test]
    fn the_header_is_required() {
        assert_eq!(
            parse("acme.com,ann@confab.test\n"),
            Err(vec!["Line 1: The header is missing: the first line must be a header naming the columns: domain or company (or both), and owner_email.".to_owned()])
        );
        assert_eq!(
            parse(""),
            Err(vec!["Line 1: The file is empty: the first line must be a header naming the columns: domain or company (or both), and owner_email.".to_owned()])
        );
        assert_eq!(parse("\u{feff}\n\n"), parse(""));
        assert_eq!(
            parse("\n\ndomain,region,domain\n"),
            Err(vec![
                "Line 3: The header names an unknown column \"region\"; the columns are domain, company and owner_email.".to_owned(),
                "Line 3: The header names the column domain twice.".to_owned(),
                "Line 3: The header has no owner_email column.".to_owned(),
            ])
        );
        assert_eq!(
            parse("owner_email\nann@confab.test\n"),
            Err(vec!["Line 1: The header has neither a domain nor a company column.".to_owned()])
        );
    }

    #[test]
    fn sizes_are_capped() {
        let long = "x".repeat(MAX_FIELD_CHARS + 1);
        assert_eq!(
            parse(&format!("company,owner_email\n{long},ann@confab.test\n")),
            Err(vec!["Line 2: The company is longer than 200 characters.".to_owned()])
        );
        let exactly = "é".repeat(MAX_FIELD_CHARS);
        assert_eq!(parse(&format!("company,owner_email\n{exactly},ann@confab.test\n")).map(|r| r.len()), Ok(1));

        let mut text = String::from("domain,owner_email\n");
        for i in 0..MAX_ROWS {
            text.push_str(&format!("d{i}.com,ann@confab.test\n"));
        }
        assert_eq!(parse(&text).map(|r| r.len()), Ok(MAX_ROWS));
        text.push_str("one-more.com,ann@confab.test\n");
        assert_eq!(
            parse(&text),
            Err(vec![format!("Line {}: The file has more than 50000 data lines; split it.", MAX_ROWS + 2)])
        );
        let huge = " ".repeat(MAX_CSV_BYTES + 1);
        assert_eq!(parse(&huge), Err(vec!["Line 1: The file is larger than 16 MB.".to_owned()]));
    }
}
