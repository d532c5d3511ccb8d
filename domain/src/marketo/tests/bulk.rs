//! Export windows, the create body and export statuses.

use super::*;
use proptest::prelude::*;

const DAY: i64 = 86_400_000;

#[test]
fn a_year_is_cut_into_31_day_windows() {
    let (from, to) = (ms("2026-01-01T00:00:00Z"), ms("2027-01-01T00:00:00Z"));
    let windows = export_windows(from, to);
    assert_eq!(windows.len(), 12, "365 days = 11 × 31 + 24");
    assert_eq!(windows[0], (from, ms("2026-02-01T00:00:00Z")));
    assert_eq!(windows[11], (from + 11 * 31 * DAY, to));
    assert!(export_windows(to, from).is_empty());
    assert!(export_windows(from, from).is_empty());
    assert_eq!(export_windows(from, from + 1), vec![(from, from + 1)]);
}

proptest! {
    #[test]
    fn windows_cover_exactly(from in -10_000 * DAY..40_000 * DAY, length in 0i64..2_000 * DAY) {
        let to = from + length;
        let windows = export_windows(from, to);
        if length == 0 {
            prop_assert!(windows.is_empty());
        } else {
            prop_assert_eq!(windows.first().map(|w| w.0), Some(from));
            prop_assert_eq!(windows.last().map(|w| w.1), Some(to));
            for pair in windows.windows(2) {
                prop_assert_eq!(pair[0].1, pair[1].0);
            }
            for &(start, end) in &windows {
                prop_assert!(start < end && end - start <= EXPORT_WINDOW_MS);
            }
        }
    }

    #[test]
    fn create_bodies_stay_within_31_days_and_leave_no_gap(from in 0i64..40_000 * DAY, length in 1i64..200 * DAY) {
        let windows = export_windows(from, from + length);
        let mut previous_end: Option<i64> = None;
        for window in windows {
            let body = export_create_body(&[], window);
            let start = ms(body["filter"]["updatedAt"]["startAt"].as_str().unwrap());
            let end = ms(body["filter"]["updatedAt"]["endAt"].as_str().unwrap());
            prop_assert!(start <= window.0 && start % 1000 == 0 && end % 1000 == 0);
            prop_assert!(end - start <= EXPORT_WINDOW_MS);
            if let Some(previous) = previous_end {
                prop_assert!(start <= previous, "gap between {previous} and {start}");
            }
            previous_end = Some(end);
        }
    }

    #[test]
    fn export_windows_never_panic(from in any::<i64>(), to in any::<i64>()) {
        let windows = export_windows(from, to);
        prop_assert!(windows.len() < 200_000);
    }
}

#[test]
fn create_body_shape() {
    let fields = vec!["firstName".to_owned(), "email".to_owned(), "company".to_owned(), "firstName".to_owned()];
    let window = (ms("2026-01-01T00:00:00Z"), ms("2026-01-31T00:00:00Z"));
    assert_eq!(
        export_create_body(&fields, window),
        json!({
            "fields": ["id", "email", "updatedAt", "firstName", "company"],
            "format": "CSV",
            "filter": { "updatedAt": { "startAt": "2026-01-01T00:00:00Z", "endAt": "2026-01-31T00:00:00Z" } },
        })
    );
    // Sub-second bounds widen to whole seconds.
    let body = export_create_body(&[], (ms("2026-01-01T00:00:00.250Z"), ms("2026-01-02T00:00:00.250Z")));
    assert_eq!(body["filter"]["updatedAt"]["startAt"], "2026-01-01T00:00:00Z");
    assert_eq!(body["filter"]["updatedAt"]["endAt"], "2026-01-02T00:00:01Z");
}

#[test]
fn export_statuses() {
    let created = parse_export_status(&result_of(include_str!("../fixtures/export_create.json"))).unwrap();
    assert_eq!(created, ("ce45a7a1-f19d-4ce2-882c-a3c795940a7d".to_owned(), ExportStatus::Created));
    let completed = parse_export_status(&result_of(include_str!("../fixtures/export_completed.json"))).unwrap();
    assert_eq!(completed.1, ExportStatus::Completed { records: 4, file_size: 371 });
    let status = |status: &str| parse_export_status(&[json!({ "exportId": "x", "status": status })]).map(|s| s.1);
    assert_eq!(status("Queued"), Ok(ExportStatus::Queued));
    assert_eq!(status("Processing"), Ok(ExportStatus::Processing));
    assert_eq!(status("Cancelled"), Ok(ExportStatus::Cancelled));
    assert_eq!(status("Failed"), Ok(ExportStatus::Failed(String::new())));
    let failed = parse_export_status(&[json!({ "exportId": "x", "status": "Failed", "errorMsg": "Too big" })]);
    assert_eq!(failed.map(|s| s.1), Ok(ExportStatus::Failed("Too big".to_owned())));
    assert_eq!(status("Exploded").unwrap_err().code(), "malformed");
    assert_eq!(parse_export_status(&[]).unwrap_err().code(), "malformed");
    assert_eq!(parse_export_status(&[json!({ "status": "Created" })]).unwrap_err().action(), Action::Fail);
}
