//! The call budget's sliding window and in-flight limit, and backoff.

use super::*;
use proptest::prelude::*;

fn config(calls: u32, window: i64, in_flight: u32) -> BudgetConfig {
    BudgetConfig { calls_per_window: calls, window_ms: window, max_in_flight: in_flight }
}

#[test]
fn defaults_are_confabs_share() {
    assert_eq!(BudgetConfig::default(), config(80, 20_000, 5));
}

#[test]
fn a_full_window_answers_when_the_oldest_start_leaves_it() {
    let mut budget = Budget::new(config(3, 1000, 10));
    for t in [0, 100, 200] {
        budget.try_start(t).unwrap();
        budget.finish();
    }
    assert_eq!(budget.calls_in_window(300), 3);
    assert_eq!(budget.try_start(300), Err(1000));
    assert_eq!(budget.try_start(999), Err(1000));
    assert_eq!(budget.try_start(1000), Ok(()));
    assert_eq!(budget.try_start(1050), Err(1100));
    assert_eq!(budget.history(1050), vec![100, 200, 1000]);
}

#[test]
fn in_flight_is_limited_and_retried_shortly() {
    let mut budget = Budget::new(config(80, 20_000, 2));
    budget.try_start(0).unwrap();
    budget.try_start(1).unwrap();
    assert_eq!(budget.in_flight(), 2);
    assert_eq!(budget.try_start(2), Err(52));
    budget.finish();
    assert_eq!(budget.try_start(3), Ok(()));
    budget.finish();
    budget.finish();
    budget.finish();
    assert_eq!(budget.in_flight(), 0, "finish saturates");
}

#[test]
fn penalise_holds_every_call_for_a_window() {
    let mut budget = Budget::new(config(80, 20_000, 5));
    budget.try_start(0).unwrap();
    budget.finish();
    budget.penalise(1_000);
    assert_eq!(budget.penalised_until(1_000), Some(21_000));
    assert_eq!(budget.try_start(1_000), Err(21_000));
    assert_eq!(budget.try_start(20_999), Err(21_000));
    assert_eq!(budget.try_start(21_000), Ok(()));
    assert_eq!(budget.penalised_until(21_000), None);
    // A second 606 never shortens the wait.
    budget.penalise(30_000);
    budget.penalise(25_000);
    assert_eq!(budget.try_start(30_000), Err(50_000));
}

#[test]
fn history_round_trips_through_a_restart() {
    let mut budget = Budget::new(config(3, 1000, 5));
    for t in [0, 500, 900] {
        budget.try_start(t).unwrap();
    }
    let history = budget.history(950);
    assert_eq!(history, vec![0, 500, 900]);
    let mut restored = Budget::with_history(config(3, 1000, 5), vec![900, 0, 500]);
    assert_eq!(restored.in_flight(), 0);
    assert_eq!(restored.history(950), history);
    assert_eq!(restored.try_start(950), Err(1000));
    assert_eq!(restored.try_start(1000), Ok(()));
    assert_eq!(restored.history(1000), vec![500, 900, 1000]);
}

#[test]
fn zero_limits_count_as_one() {
    let mut budget = Budget::new(config(0, 0, 0));
    assert_eq!(budget.try_start(10), Ok(()));
    budget.finish();
    assert_eq!(budget.try_start(10), Err(11));
    assert_eq!(budget.try_start(11), Ok(()));
}

/// What a caller does next.
#[derive(Debug, Clone)]
enum Op {
    /// Time passes by this many milliseconds.
    Wait(i64),
    /// A call tries to start.
    Start,
    /// A call in flight ends.
    Finish,
    /// Marketo answered 606.
    Penalise,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0i64..400).prop_map(Op::Wait),
        1 => (0i64..30_000).prop_map(Op::Wait),
        6 => Just(Op::Start),
        4 => Just(Op::Finish),
        1 => Just(Op::Penalise),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn never_more_than_the_share(
        calls in 1u32..12,
        window in 1i64..5_000,
        max_in_flight in 1u32..6,
        ops in prop::collection::vec(op(), 1..300),
    ) {
        let mut budget = Budget::new(config(calls, window, max_in_flight));
        let mut now = 1_000_000;
        let mut starts = Vec::new();
        for op in ops {
            match op {
                Op::Wait(d) => now += d,
                Op::Finish => budget.finish(),
                Op::Penalise => budget.penalise(now),
                Op::Start => match budget.try_start(now) {
                    Ok(()) => starts.push(now),
                    Err(at) => {
                        prop_assert!(at > now, "Err({at}) at {now} is not in the future");
                        // Achievable: nothing else happening, a start at `at` succeeds...
                        let mut later = budget.clone();
                        let in_flight_full = budget.in_flight() >= max_in_flight;
                        if in_flight_full {
                            prop_assert!(at >= now + 50);
                            while later.in_flight() > 0 { later.finish(); }
                        }
                        prop_assert_eq!(later.try_start(at), Ok(()));
                        // ...and, when only time stood in the way, not a millisecond earlier.
                        if !in_flight_full {
                            let mut earlier = budget.clone();
                            prop_assert!(earlier.try_start(at - 1).is_err());
                        }
                    }
                },
            }
            prop_assert!(budget.in_flight() <= max_in_flight);
            prop_assert!(budget.calls_in_window(now) <= calls);
        }
        // In every window of `window` ms starting at a call, at most `calls` calls started.
        for (i, &t) in starts.iter().enumerate() {
            let inside = starts[i..].iter().take_while(|&&s| s < t + window).count();
            prop_assert!(inside <= calls as usize, "{inside} starts in [{t}, {})", t + window);
        }
    }
}

#[test]
fn backoff_grows_within_bounds() {
    let (base, cap) = (500, 60_000);
    for attempt in 0..40 {
        let low = backoff_ms(attempt, base, cap, 0.0);
        let high = backoff_ms(attempt, base, cap, 0.999_999);
        assert_eq!(low, base / 2, "never below half the base");
        assert!(high <= cap && high >= low);
        let ceiling = (base << attempt.min(20)).min(cap);
        assert!(high >= ceiling - 1 && high <= ceiling, "attempt {attempt}: {high} vs {ceiling}");
    }
    assert_eq!(backoff_ms(0, 500, 60_000, 0.5), 375);
    assert_eq!(backoff_ms(3, 500, 60_000, 0.5), 250 + (4000 - 250) / 2);
}

#[test]
fn backoff_never_overflows() {
    for attempt in [62, 63, 64, 100, 1000, u32::MAX] {
        assert_eq!(backoff_ms(attempt, 500, 60_000, 0.999_999_9), 59_999);
        assert_eq!(backoff_ms(attempt, i64::MAX, i64::MAX, 0.99), backoff_ms(attempt, i64::MAX, i64::MAX, 0.99));
        assert!(backoff_ms(attempt, i64::MAX, i64::MAX, 1.0) == i64::MAX);
    }
    assert_eq!(backoff_ms(1000, -5, -5, 0.5), 0);
    assert_eq!(backoff_ms(5, 500, 100, 0.5), 100, "a cap below half the base wins");
    assert_eq!(backoff_ms(5, 500, 60_000, f64::NAN), 250);
}

proptest! {
    #[test]
    fn backoff_ceiling_is_monotone(attempt in 0u32..2000, base in 0i64..100_000, cap in 0i64..10_000_000, jitter in 0.0f64..1.0) {
        let wait = backoff_ms(attempt, base, cap, jitter);
        prop_assert!(wait >= (base / 2).min(cap) && wait <= cap);
        prop_assert!(backoff_ms(attempt, base, cap, 0.999_999) <= backoff_ms(attempt + 1, base, cap, 0.999_999));
    }
}
