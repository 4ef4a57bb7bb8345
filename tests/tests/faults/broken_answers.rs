use super::*;

// ---------------------------------------------------------------------------------------------
// Broken answers
// ---------------------------------------------------------------------------------------------

/// A connection reset after half the body, and a body cut short of its `content-length`.
const MID_BODY: [(&str, Fault); 2] = [
    ("reset mid-body", |call| Reply::ResetMidBody {
        body: call.answer().into_bytes(),
    }),
    ("closed mid-body", |call| Reply::CloseMidBody {
        body: call.answer().into_bytes(),
    }),
];

/// The server acted on a write it began to answer: the write is never sent again (`check`:
/// one request per write) and the error says it may have taken effect; a read is retried.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_broken_mid_body_is_a_transport_error_and_reads_are_retried() {
    for (fault, reply) in MID_BODY {
        for o in each_call(reply).await {
            let err = check(fault, &o, |k| k == &ErrorKind::Transport, ATTEMPTS);
            assert!(
                err.may_have_reached_server() && err.is_retryable(),
                "{err:?}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn truncated_json_is_a_decode_error_that_may_have_taken_effect() {
    // A complete HTTP message whose body is half a JSON document: the server answered, so a
    // read is not sent again (the same server would answer the same), and a write may have
    // been executed: the error says so, with an excerpt for the logs.
    for o in each_call(|call| Reply::json(call.status(), half(&call.answer()))).await {
        let err = check(
            "truncated JSON",
            &o,
            |k| matches!(k, ErrorKind::Decode { .. }),
            1,
        );
        assert!(err.may_have_reached_server() && err.got_response());
        assert!(!err.is_retryable());
        let ErrorKind::Decode { excerpt } = err.kind() else {
            unreachable!()
        };
        assert!(excerpt.starts_with('{'), "{excerpt:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn html_error_pages_of_a_proxy_are_server_errors() {
    for o in each_call(|_| Reply::typed(502, "text/html", NGINX_502)).await {
        let err = check("HTML 502", &o, |k| k == &ErrorKind::Server, ATTEMPTS);
        assert_eq!(err.status(), Some(502));
        assert!(err.is_retryable() && err.may_have_reached_server());
        assert!(!err.to_string().contains("<html"), "{err}");
    }
    for o in each_call(|_| Reply::typed(503, "text/html; charset=utf-8", CLOUDFLARE_503)).await {
        let err = check("HTML 503", &o, |k| k == &ErrorKind::Server, ATTEMPTS);
        assert_eq!(err.status(), Some(503));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn empty_bodies() {
    // 200 and 204 with nothing to decode: the server answered; never re-sent.
    for status in [200, 204] {
        for o in each_call(if status == 200 {
            |_| Reply::json(200, "")
        } else {
            |_| Reply::json(204, "")
        })
        .await
        {
            let err = check(
                &format!("empty {status}"),
                &o,
                |k| matches!(k, ErrorKind::Decode { .. }),
                1,
            );
            assert!(err.may_have_reached_server());
            assert_eq!(err.status(), Some(status), "{err:?}");
        }
    }
    for o in each_call(|_| Reply::json(503, "")).await {
        let err = check("empty 503", &o, |k| k == &ErrorKind::Server, ATTEMPTS);
        assert_eq!(err.status(), Some(503));
    }
    for o in each_call(|_| Reply::json(429, "")).await {
        check(
            "empty 429 without Retry-After",
            &o,
            |k| k == &ErrorKind::RateLimited { retry_after: None },
            ATTEMPTS,
        );
    }
    // An empty 401: the token is dropped and the call retried once with a new one (a 401
    // means the server did not act, so this holds for writes too), then it gives up.
    for o in each_call(|_| Reply::json(401, "")).await {
        let err = o.result.as_ref().expect_err("401");
        assert_eq!(err.kind(), &ErrorKind::Authentication, "{err:?}");
        assert_eq!(o.hits, 2, "{:?}: one retry after the refresh", o.call);
        assert_eq!(o.token_hits, 2, "{:?}: one refresh", o.call);
        assert!(o.elapsed < BOUND);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_valid_answer_with_a_wrong_content_type_is_not_lost() {
    // The answer of an order is the order: a mislabelled but valid JSON body must be decoded,
    // not turned into an error (the balance is even documented as text/plain).
    for (label, reply) in [
        (
            "text/html",
            (|c: Call| Reply::typed(c.status(), "text/html", c.answer())) as Fault,
        ),
        ("text/plain", |c| {
            Reply::typed(c.status(), "text/plain; charset=utf-8", c.answer())
        }),
        ("none", |c| Reply::Full {
            status: c.status(),
            content_type: None,
            headers: Vec::new(),
            body: c.answer().into_bytes(),
        }),
    ] {
        for o in each_call(reply).await {
            assert!(o.result.is_ok(), "{label}: {:?}: {:?}", o.call, o.result);
            assert_eq!((o.hits, o.token_hits), (1, 1), "{label}: {:?}", o.call);
        }
    }
    // An HTML page labelled as JSON: a decode error quoting the page's start.
    for o in each_call(|c| Reply::json(c.status(), "<html><body>Maintenance</body></html>")).await {
        let err = check(
            "HTML labelled JSON",
            &o,
            |k| matches!(k, ErrorKind::Decode { excerpt } if excerpt.starts_with("<html>")),
            1,
        );
        assert!(err.may_have_reached_server());
    }
    for o in
        each_call(|c| Reply::typed(c.status(), "application/xml", "<?xml version=\"1.0\"?><a/>"))
            .await
    {
        check("XML", &o, |k| matches!(k, ErrorKind::Decode { .. }), 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_answered_with_another_success_status_is_not_lost() {
    for o in each_call(|c| Reply::json(if c == Call::Claim { 200 } else { 201 }, c.answer())).await
    {
        if !o.call.is_write() {
            continue;
        }
        assert!(o.result.is_ok(), "{:?}: {:?}", o.call, o.result);
        assert_eq!(o.hits, 1);
    }
}
