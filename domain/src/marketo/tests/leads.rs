//! Cookies in query strings, describe, the sync body and leads from REST results.

use super::*;

const COOKIE: &str = "id:561-HYG-937&token:_mch-marketo.com-1427205775289-40768";

#[test]
fn cookie_is_percent_encoded_for_a_query_string() {
    assert_eq!(cookie_query(COOKIE), "id%3A561-HYG-937%26token%3A_mch-marketo.com-1427205775289-40768");
    assert_eq!(cookie_query("a b+c/é~"), "a%20b%2Bc%2F%C3%A9~");
    assert_eq!(cookie_query(""), "");
}

#[test]
fn munchkin_cookies_as_the_fake_accepts_them() {
    for good in [
        COOKIE,
        "id:123-ABC-456&token:_mch-host-123-456",
        "id:000-zzz-999&token:_mch-www.my-site.co.uk-1732000000000-1",
    ] {
        assert!(is_munchkin_cookie(good), "{good}");
    }
    for bad in [
        "",
        "_mch-marketo.com-1427205775289-40768",
        "id:561-HYG-937",
        "id:561-HYG-93&token:_mch-host-1-2",
        "id:5611-HYG-937&token:_mch-host-1-2",
        "id:561-H1G-937&token:_mch-host-1-2",
        "id:561-HYG-937&token:mch-host-1-2",
        "id:561-HYG-937&token:_mch--1-2",
        "id:561-HYG-937&token:_mch-host-1x-2",
        "id:561-HYG-937&token:_mch-host-1-",
        "id:561-HYG-937&token:_mch-ho st-1-2",
        "id:561-HYG-937&token:_mch-a&b-1-2",
        "id:561-HYG-937&token:_mch-a,b-1-2",
        " id:561-HYG-937&token:_mch-host-1-2",
    ] {
        assert!(!is_munchkin_cookie(bad), "{bad}");
    }
    let long = format!("id:561-HYG-937&token:_mch-{}-1-2", "h".repeat(600));
    assert!(!is_munchkin_cookie(&long));
}

#[test]
fn describe_keeps_rest_fields() {
    let fields = fields();
    assert_eq!(fields.len(), 8, "the SOAP-only field is left out");
    assert_eq!(
        fields[2],
        FieldInfo {
            name: "firstName".to_owned(),
            display_name: "First Name".to_owned(),
            data_type: "string".to_owned(),
            read_only: false,
        }
    );
    assert!(fields[0].read_only);
    assert_eq!(fields[5].data_type, "currency");
}

#[test]
fn create_or_update_body_shape() {
    let leads = vec![
        object(json!({ "email": "ada@example.com", "firstName": "Ada" })),
        object(json!({ "email": "grace@example.com", "numberOfEmployees": 12 })),
    ];
    assert_eq!(
        create_or_update_body(&leads),
        json!({
            "action": "createOrUpdate",
            "lookupField": "email",
            "input": [
                { "email": "ada@example.com", "firstName": "Ada" },
                { "email": "grace@example.com", "numberOfEmployees": 12 },
            ],
        })
    );
    assert_eq!(create_or_update_body(&[])["input"], json!([]));
    assert_eq!(LEAD_BATCH, 300);
}

#[test]
fn leads_from_a_rest_result() {
    let result = result_of(include_str!("../fixtures/leads_get.json"));
    let ada = lead_from_rest(&result[0]).unwrap();
    assert_eq!(ada.marketo_id, 1001);
    assert_eq!(ada.email.as_deref(), Some("ada.lovelace@example.com"));
    assert_eq!(ada.updated_at.as_deref(), Some("2026-11-20T09:30:00Z"));
    assert_eq!(
        Value::Object(ada.attributes),
        json!({ "createdAt": "2026-01-05T12:00:00Z", "firstName": "Ada", "lastName": "Lovelace", "company": null })
    );
    let anonymous = lead_from_rest(&result[1]).unwrap();
    assert_eq!(anonymous.email, None);
    assert_eq!(anonymous.attributes["company"], json!("Initech"));

    assert_eq!(
        lead_from_rest(&json!({ "id": "42", "email": "not an email" })).map(|l| (l.marketo_id, l.email)),
        Some((42, None))
    );
    for bad in [json!({ "email": "a@b.co" }), json!({ "id": 1.5 }), json!({ "id": "x" }), json!([1]), json!(null)] {
        assert_eq!(lead_from_rest(&bad), None, "{bad}");
    }
}
