//! Snapshot transcripts: representative flows replayed event by event. Each snapshot shows the
//! lead the engine knew, the visitor's inputs (`>`), what the bot said, the other effects (`*`),
//! where the conversation waited, and the final, resumable state.

use super::*;
use crate::demo;
use insta::assert_snapshot;

#[test]
fn greeting_and_booking() {
    let events = [start(1), choose("book"), booked()];
    assert_snapshot!("greeting_and_booking", replay(&demo::flow(), &Context::default(), &events));
}

#[test]
fn end_without_booking() {
    let events = [start(1), choose("browse"), choose("book")];
    assert_snapshot!("end_without_booking", replay(&demo::flow(), &Context::default(), &events));
}

#[test]
fn events_that_do_not_fit() {
    let events = [
        choose("book"),
        Event::Back,
        Event::Restart,
        start(1),
        answer("hello"),
        booked(),
        choose("nope"),
        choose("book"),
        choose("book"),
        answer("ada@example.com"),
        Event::Back,
        choose("book"),
    ];
    assert_snapshot!("events_that_do_not_fit", replay(&demo::flow(), &Context::default(), &events));
}

#[test]
fn capture_skipped_when_known() {
    let flow = parse(
        r#"{"start":"hello","cards":[
        {"type":"message","id":"hello","text":"Hi {{lead.firstName:\"there\"}}! Two quick questions.","next":"email"},
        {"type":"capture","id":"email","text":"What's your work email?","kind":"email","field":"email","next":"company"},
        {"type":"capture","id":"company","text":"Which company are you with?","kind":"text","field":"company","next":"thanks"},
        {"type":"message","id":"thanks","text":"Thanks, {{lead.firstName:\"friend\"}} from {{lead.company}}. We'll write to {{lead.email}}.","next":"end"},
        {"type":"end","id":"end"}]}"#,
    );
    let runs = [
        (
            "known lead: the email is not asked again",
            lead(&[("firstName", "Ada"), ("email", "ada@example.com")]),
            vec![start(1), answer("Analytical Engines")],
        ),
        (
            "known lead with everything: nothing is asked",
            lead(&[("firstName", "Ada"), ("email", "ada@example.com"), ("company", "Analytical Engines")]),
            vec![start(1)],
        ),
        (
            "a blank attribute counts as unknown",
            lead(&[("email", "   ")]),
            vec![start(1), answer("grace@example.org"), answer("Compilers Inc")],
        ),
    ];
    assert_snapshot!("capture_skipped_when_known", replays(&flow, &runs));
}

#[test]
fn invalid_email_is_asked_again() {
    let flow = parse(
        r#"{"start":"ask","cards":[
        {"type":"capture","id":"ask","text":"Where should we send the report?","kind":"email","field":"email","next":"done"},
        {"type":"message","id":"done","text":"Sent to {{lead.email}}.","next":null}]}"#,
    );
    let events = [
        start(1),
        answer(""),
        answer("ada@example"),
        answer("ada at example.com"),
        choose("yes"),
        answer(" Ada@Example.COM "),
    ];
    assert_snapshot!("invalid_email_is_asked_again", replay(&flow, &Context::default(), &events));
}

#[test]
fn phone_and_text_captures() {
    let flow = parse(
        r#"{"start":"phone","cards":[
        {"type":"capture","id":"phone","text":"Which number can we call?","kind":"phone","field":"phone","next":"notes"},
        {"type":"capture","id":"notes","text":"Anything we should know before the call?","kind":"text","field":"notes","next":"bye"},
        {"type":"message","id":"bye","text":"We'll call {{lead.phone}}.","next":"end"},
        {"type":"end","id":"end"}]}"#,
    );
    let events = [
        start(1),
        answer("call me maybe"),
        answer("123"),
        answer("+44 (20) 7946-0958"),
        answer("   "),
        answer("Ask for the CTO <b>please</b>"),
    ];
    assert_snapshot!("phone_and_text_captures", replay(&flow, &Context::default(), &events));
}

#[test]
fn branch_on_attribute() {
    let flow = parse(
        r#"{"start":"hello","cards":[
        {"type":"message","id":"hello","text":"Hello!","next":"route"},
        {"type":"branch","id":"route","rules":[
            {"when":{"conditions":[{"op":"equals","field":"lead.country","value":"US"}]},"next":"us"},
            {"when":{"conditions":[{"op":"in_list","field":"lead.country","values":["DE","FR","NL"]}]},"next":"eu"},
            {"when":{"mode":"any","conditions":[
                {"op":"greater_than","field":"lead.employees","value":"1000"},
                {"op":"contains","field":"lead.role","value":"procurement"}]},"next":"enterprise"}],
         "default":"rest"},
        {"type":"message","id":"us","text":"Our New York team will take care of you.","next":"end"},
        {"type":"message","id":"eu","text":"Our Amsterdam team will take care of you.","next":"end"},
        {"type":"message","id":"enterprise","text":"Our enterprise team will take care of you.","next":"end"},
        {"type":"message","id":"rest","text":"Our team will be in touch.","next":"end"},
        {"type":"end","id":"end"}]}"#,
    );
    let runs = [
        ("country us (case is ignored)", lead(&[("country", "us")]), vec![start(1)]),
        ("country DE", lead(&[("country", " de ")]), vec![start(1)]),
        ("a large company elsewhere", lead(&[("country", "JP"), ("employees", "5000")]), vec![start(1)]),
        ("a buyer", lead(&[("role", "Head of Procurement")]), vec![start(1)]),
        ("anonymous: the default", Context::default(), vec![start(1)]),
    ];
    assert_snapshot!("branch_on_attribute", replays(&flow, &runs));
}

#[test]
fn branch_on_agents_free_today() {
    let flow = parse(
        r#"{"start":"hello","cards":[
        {"type":"message","id":"hello","text":"Hello!","next":"route"},
        {"type":"branch","id":"route","rules":[
            {"when":{"conditions":[{"op":"equals","field":"agents.free_today","value":"yes"}]},"next":"now"},
            {"when":{"conditions":[{"op":"equals","field":"agents.free_today","value":"no"}]},"next":"later"}],
         "default":"unknown"},
        {"type":"book_meeting","id":"now","duration_minutes":30,"next":"end"},
        {"type":"message","id":"later","text":"Everyone is booked today; leave your email and we'll write.","next":"end"},
        {"type":"message","id":"unknown","text":"Our team will be in touch.","next":"end"},
        {"type":"end","id":"end"}]}"#,
    );
    let free = |free| Context { agents_free_today: Some(free), ..Context::default() };
    let runs = [
        ("an agent is free today: book now", free(true), vec![start(1)]),
        ("nobody is free today: the other path", free(false), vec![start(1)]),
        ("the edge did not say: the default", Context::default(), vec![start(1)]),
    ];
    assert_snapshot!("branch_on_agents_free_today", replays(&flow, &runs));
}

#[test]
fn branch_on_answer() {
    let flow = parse(
        r#"{"start":"size","cards":[
        {"type":"question","id":"size","text":"How big is your team?","buttons":[
            {"label":"1–50","value":"small","next":"route"},
            {"label":"51–500","value":"mid","next":"route"},
            {"label":"More than 500","value":"large","next":"route"}]},
        {"type":"branch","id":"route","rules":[
            {"when":{"conditions":[{"op":"equals","field":"answer.size","value":"large"}]},"next":"book"},
            {"when":{"conditions":[
                {"op":"equals","field":"answer.size","value":"mid"},
                {"op":"equals","field":"lead.country","value":"US"}]},"next":"book"}],
         "default":"guide"},
        {"type":"book_meeting","id":"book","duration_minutes":45,"next":"thanks"},
        {"type":"message","id":"thanks","text":"Talk soon!","next":"end"},
        {"type":"document","id":"guide","title":"Getting started for small teams","url":"https://example.com/start.pdf","next":"end"},
        {"type":"end","id":"end"}]}"#,
    );
    let runs = [
        ("large team: a meeting", Context::default(), vec![start(1), choose("large"), booked()]),
        ("mid-sized team in the US: a meeting", lead(&[("country", "US")]), vec![start(1), choose("mid"), booked()]),
        ("mid-sized team elsewhere: the guide", lead(&[("country", "FR")]), vec![start(1), choose("mid")]),
        ("small team: the guide", Context::default(), vec![start(1), choose("small")]),
    ];
    assert_snapshot!("branch_on_answer", replays(&flow, &runs));
}

#[test]
fn goal_scoring() {
    let flow = parse(
        r#"{"start":"hello","cards":[
        {"type":"message","id":"hello","text":"Hi! Looking for something?","next":"engaged"},
        {"type":"goal","id":"engaged","name":"engaged","score":1,"next":"interest"},
        {"type":"question","id":"interest","text":"What are you interested in?","buttons":[
            {"label":"Pricing","value":"pricing","next":"qualified"},
            {"label":"Just looking","value":"browse","next":"bye"}]},
        {"type":"goal","id":"qualified","name":"qualified","score":3,"next":"book"},
        {"type":"book_meeting","id":"book","duration_minutes":30,"next":"booked-goal"},
        {"type":"goal","id":"booked-goal","name":"meeting booked","score":2,"next":"thanks"},
        {"type":"message","id":"thanks","text":"See you soon.","next":"end"},
        {"type":"message","id":"bye","text":"Enjoy your visit.","next":"end"},
        {"type":"end","id":"end"}]}"#,
    );
    let runs = [
        ("straight to a booking", Context::default(), vec![start(1), choose("pricing"), booked(), Event::Back]),
        (
            "each goal is reported once per conversation",
            Context::default(),
            vec![
                start(1),
                choose("browse"),
                Event::Back,
                choose("pricing"),
                Event::Back,
                choose("pricing"),
                Event::Restart,
            ],
        ),
    ];
    assert_snapshot!("goal_scoring", replays(&flow, &runs));
}

#[test]
fn document_link() {
    let flow = parse(
        r#"{"start":"offer","cards":[
        {"type":"question","id":"offer","text":"Would you like our pricing guide?","buttons":[
            {"label":"Yes, please","value":"yes","next":"doc"},
            {"label":"No, thanks","value":"no","next":"end"}]},
        {"type":"document","id":"doc","title":"Pricing guide for {{lead.company:\"your team\"}}","url":"https://example.com/pricing.pdf?utm_source=chat","next":"more"},
        {"type":"message","id":"more","text":"It opens in a new tab.","next":"end"},
        {"type":"end","id":"end"}]}"#,
    );
    let runs = [
        ("known company", lead(&[("company", "Compilers Inc")]), vec![start(1), choose("yes")]),
        ("anonymous", Context::default(), vec![start(1), choose("yes")]),
        ("declined", Context::default(), vec![start(1), choose("no")]),
    ];
    assert_snapshot!("document_link", replays(&flow, &runs));
}

#[test]
fn back() {
    let flow = parse(
        r#"{"start":"topic","cards":[
        {"type":"question","id":"topic","text":"Sales or support?","buttons":[
            {"label":"Sales","value":"sales","next":"intro"},
            {"label":"Support","value":"support","next":"support"}]},
        {"type":"message","id":"intro","text":"Great, a few details first.","next":"email"},
        {"type":"capture","id":"email","text":"Your email?","kind":"email","field":"email","next":"size"},
        {"type":"question","id":"size","text":"Team size, {{lead.email}}?","buttons":[
            {"label":"Small","value":"small","next":"end"},
            {"label":"Large","value":"large","next":"end"}]},
        {"type":"message","id":"support","text":"Please write to help@example.com.","next":"end"},
        {"type":"end","id":"end"}]}"#,
    );
    let events = [
        Event::Back,
        start(1),
        Event::Back,
        choose("sales"),
        answer("ada@example.com"),
        Event::Back,
        answer("grace@example.org"),
        Event::Back,
        Event::Back,
        choose("support"),
        Event::Back,
        choose("sales"),
        answer("alan@example.net"),
        choose("large"),
    ];
    let runs = [
        ("anonymous", Context::default(), events.to_vec()),
        (
            "a known lead: the skipped capture is no step to go back to",
            lead(&[("email", "ada@example.com")]),
            vec![start(1), choose("sales"), Event::Back, choose("sales"), choose("small"), Event::Back, Event::Back],
        ),
    ];
    assert_snapshot!("back", replays(&flow, &runs));
}

#[test]
fn restart_keeps_the_version() {
    let runs = [
        (
            "restarting stays on version 3",
            Context::default(),
            vec![Event::Restart, start(3), choose("book"), Event::Restart, choose("browse"), Event::Restart],
        ),
        ("a new start takes the version it is given", Context::default(), vec![start(3), choose("book"), start(4)]),
    ];
    assert_snapshot!("restart_keeps_the_version", replays(&demo::flow(), &runs));
}

#[test]
fn personalisation_defaults() {
    let flow = parse(
        r#"{"start":"hello","cards":[
        {"type":"message","id":"hello","text":"Hello {{lead.firstName:\"there\"}}!","next":"known"},
        {"type":"message","id":"known","text":"Company: {{lead.company:\"(not given)\"}}; role: [{{lead.role}}].","next":"name"},
        {"type":"capture","id":"name","text":"What should I call you?","kind":"text","field":"firstName","next":"nice"},
        {"type":"question","id":"nice","text":"Nice to meet you, {{ lead.firstName : \"stranger\" }}. Shall we go on?","buttons":[
            {"label":"Yes","value":"yes","next":"end"}]},
        {"type":"end","id":"end"}]}"#,
    );
    let runs = [
        (
            "anonymous: defaults, then the captured name",
            Context::default(),
            vec![start(1), answer("  Alan  "), choose("yes")],
        ),
        (
            "known: values, a blank role renders empty, the name is not asked",
            lead(&[("firstName", "Grace"), ("company", "Compilers Inc"), ("role", " ")]),
            vec![start(1), choose("yes")],
        ),
    ];
    assert_snapshot!("personalisation_defaults", replays(&flow, &runs));
}

#[test]
fn long_qualification() {
    let flow = parse(
        r#"{"start":"hello","cards":[
        {"type":"message","id":"hello","text":"Welcome to Acme, {{lead.firstName:\"there\"}}.","next":"engaged"},
        {"type":"goal","id":"engaged","name":"engaged","score":1,"next":"role"},
        {"type":"question","id":"role","text":"Which best describes you?","buttons":[
            {"label":"I'm a developer","value":"dev","next":"email"},
            {"label":"I lead a team","value":"lead","next":"email"},
            {"label":"I buy software","value":"buyer","next":"email"}]},
        {"type":"capture","id":"email","text":"What's your work email?","kind":"email","field":"email","next":"company"},
        {"type":"capture","id":"company","text":"Which company?","kind":"text","field":"company","next":"employees"},
        {"type":"capture","id":"employees","text":"How many people work at {{lead.company}}?","kind":"text","field":"employees","next":"timeline"},
        {"type":"question","id":"timeline","text":"When are you looking to start?","buttons":[
            {"label":"This quarter","value":"now","next":"route"},
            {"label":"Later this year","value":"later","next":"route"},
            {"label":"Just researching","value":"research","next":"route"}]},
        {"type":"branch","id":"route","rules":[
            {"when":{"conditions":[
                {"op":"equals","field":"answer.timeline","value":"now"},
                {"op":"greater_than","field":"lead.employees","value":"50"}]},"next":"hot"},
            {"when":{"conditions":[{"op":"equals","field":"answer.role","value":"buyer"}]},"next":"warm"}],
         "default":"nurture"},
        {"type":"goal","id":"hot","name":"sales qualified","score":3,"next":"phone"},
        {"type":"capture","id":"phone","text":"A number where our specialist can reach you?","kind":"phone","field":"phone","next":"book-long"},
        {"type":"book_meeting","id":"book-long","duration_minutes":60,"next":"booked"},
        {"type":"message","id":"warm","text":"A product specialist can walk you through pricing.","next":"book-short"},
        {"type":"book_meeting","id":"book-short","duration_minutes":30,"next":"booked"},
        {"type":"goal","id":"booked","name":"meeting booked","score":2,"next":"confirm"},
        {"type":"message","id":"confirm","text":"You're all set, {{lead.firstName:\"see you soon\"}}.","next":"end"},
        {"type":"document","id":"nurture","title":"The buyer's guide to Acme","url":"https://example.com/guide","next":"nurtured"},
        {"type":"goal","id":"nurtured","name":"nurtured","score":1,"next":"bye"},
        {"type":"message","id":"bye","text":"Happy reading!","next":"end"},
        {"type":"end","id":"end"}]}"#,
    );
    let runs = [
        (
            "a team lead buying this quarter",
            Context::default(),
            vec![
                start(1),
                choose("lead"),
                answer("grace@compilers.example"),
                answer("Compilers Inc"),
                answer("120"),
                choose("now"),
                answer("0800 CALL ME"),
                answer("+1 (555) 010-0199"),
                booked(),
            ],
        ),
        (
            "a known buyer, later this year",
            lead(&[("firstName", "Alan"), ("email", "alan@example.net"), ("company", "Bletchley Labs")]),
            vec![start(1), choose("buyer"), answer("12"), choose("later"), booked()],
        ),
        (
            "a known developer, just researching",
            lead(&[("email", "ada@example.com"), ("company", "Analytical Engines"), ("employees", "3")]),
            vec![start(1), choose("dev"), choose("research")],
        ),
    ];
    assert_snapshot!("long_qualification", replays(&flow, &runs));
}

fn booked() -> Event {
    Event::Booked
}
