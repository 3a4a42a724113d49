//! The upload span, alone in its test binary: tracing caches per-callsite interest across
//! threads, so a subscriber installed for one test is unreliable beside other tests.

mod common;

use common::*;
use webflow_assets::UploadSource;
use webflow_fake::FakeWebflow;

#[test]
fn upload_spans_name_the_file_and_never_the_token() {
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let token = tracing::subscriber::with_default(subscriber, || {
        runtime.block_on(async {
            let fake = FakeWebflow::builder()
                .token("span-secret-token")
                .start()
                .await
                .unwrap();
            fake.faults().inject(
                webflow_fake::Target::CreateAsset,
                webflow_fake::Fault::html(502),
                1,
            );
            client(&fake)
                .upload(
                    &common::site(fake.site_id()),
                    UploadSource::bytes("traced.png", PNG.to_vec()),
                )
                .send()
                .await
                .unwrap();
            fake.token().to_string()
        })
    });
    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        log.contains("upload") && log.contains("file=traced.png"),
        "{log}"
    );
    assert!(log.contains(&format!("size={}", PNG.len())), "{log}");
    assert!(
        log.contains("requests=4") && log.contains("outcome=\"uploaded\""),
        "{log}"
    );
    assert!(log.contains("retrying"), "the retry is logged: {log}");
    assert!(!log.contains(&token), "{log}");
}
