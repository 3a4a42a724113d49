//! Custom fonts against the fake: metadata read from the file, the same S3 form as assets,
//! replace keeping the id, batch delete reporting font by font, and the checks made before
//! anything is sent.

use crate::common;

use webflow_assets::raw::types::{FontAxis, FontDisplay, FontFormat};
use webflow_assets::{Error, FontId, FontRule, Rule, UploadSource};
use webflow_fake::{SampleFont, Side};

use common::count;

fn axis(tag: &str, min: f64, default: f64, max: f64) -> FontAxis {
    FontAxis::builder()
        .tag(Some(tag.to_string()))
        .min(Some(min))
        .default_value(Some(default))
        .max(Some(max))
        .try_into()
        .unwrap()
}

#[tokio::test]
async fn a_variable_font_is_uploaded_with_the_axes_read_from_the_file() {
    let (fake, client) = common::fake().await;
    let site = fake.site_id();
    let ttf = SampleFont::new("Inter Sample", 400, false)
        .axis("wght", 100.0, 400.0, 900.0)
        .axis("opsz", 14.0, 14.0, 32.0)
        .ttf();
    let uploaded = client
        .upload_font(
            &common::site(site),
            UploadSource::bytes("InterSample.ttf", ttf.clone()),
        )
        .send()
        .await
        .unwrap();
    let font = &uploaded.font;
    assert_eq!(font.id.as_deref(), Some(uploaded.id.as_str()));
    assert_eq!(font.font_family.as_deref(), Some("Inter Sample"));
    assert_eq!(font.weight, Some(400));
    assert_eq!(font.italic, Some(false));
    assert_eq!(font.format, Some(FontFormat::Truetype));
    assert_eq!(font.font_display, Some(FontDisplay::Swap));
    let tags: Vec<_> = font.axes.iter().map(|a| a.tag.clone().unwrap()).collect();
    assert_eq!(tags, ["wght", "opsz"]);
    assert_eq!(font.axes[0].min, Some(100.0));
    assert_eq!(font.axes[0].default_value, Some(400.0));
    assert_eq!(font.axes[0].max, Some(900.0));
    assert_eq!(font.axes[1].name.as_deref(), Some("Axis opsz"));
    assert_eq!(uploaded.md5, webflow_assets::hash::md5_bytes(&ttf));
    assert_eq!(uploaded.requests, 3, "create, S3 form, read-back");
    let key = uploaded.s3_response.key.clone().unwrap();
    assert_eq!(fake.state().object_bytes(&key).unwrap(), ttf);
    assert_eq!(count(&fake, Side::S3, "POST", ""), 1);
}

/// The policy pins `Content-MD5`, so S3 itself refuses bytes other than those declared when
/// the font was created.
#[tokio::test]
async fn s3_refuses_a_font_whose_md5_differs_from_the_declared_one() {
    let (fake, client) = common::fake().await;
    let declared = SampleFont::new("Declared", 400, false).ttf();
    let sent = SampleFont::new("Swapped", 400, false).ttf();
    let created = client
        .raw()
        .create_custom_font()
        .site_id(fake.site_id())
        .body(
            webflow_assets::raw::types::CreateCustomFontRequest::builder()
                .file_name("Declared.ttf")
                .file_hash(webflow_assets::hash::md5_bytes(&declared))
                .font_family("Declared")
                .weight(400)
                .italic(false)
                .font_display(FontDisplay::Swap)
                .axes(vec![]),
        )
        .send()
        .await
        .unwrap()
        .into_inner();
    let upload = created.upload.unwrap();
    let fields = serde_json::to_value(upload.fields.unwrap()).unwrap();
    assert!(fields.get("Content-MD5").is_some() && fields.get("Content-Type").is_some());
    let post = |bytes: Vec<u8>| {
        let mut form = reqwest::multipart::Form::new();
        for (name, value) in fields.as_object().unwrap() {
            form = form.text(name.clone(), value.as_str().unwrap().to_string());
        }
        let part = reqwest::multipart::Part::bytes(bytes)
            .file_name("Declared.ttf")
            .mime_str("font/ttf")
            .unwrap();
        reqwest::Client::new()
            .post(upload.url.clone().unwrap())
            .multipart(form.part("file", part))
            .send()
    };
    let refused = post(sent).await.unwrap();
    assert_eq!(refused.status().as_u16(), 400);
    assert!(refused.text().await.unwrap().contains("BadDigest"));
    assert!(
        client
            .list_fonts(&common::site(fake.site_id()))
            .await
            .unwrap()
            .is_empty()
    );
    let accepted = post(declared).await.unwrap();
    assert_eq!(accepted.status().as_u16(), 201);
    assert_eq!(
        client
            .list_fonts(&common::site(fake.site_id()))
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn woff_is_read_and_builder_settings_win() {
    let (fake, client) = common::fake().await;
    let site = fake.site_id();
    let woff = SampleFont::new("Serif Sample", 700, true).woff();
    let uploaded = client
        .upload_font(
            &common::site(site),
            UploadSource::bytes("SerifSample-BoldItalic.woff", woff),
        )
        .display(FontDisplay::Fallback)
        .send()
        .await
        .unwrap();
    assert_eq!(uploaded.font.font_family.as_deref(), Some("Serif Sample"));
    assert_eq!(uploaded.font.weight, Some(700));
    assert_eq!(uploaded.font.italic, Some(true));
    assert!(uploaded.font.axes.is_empty());
    assert_eq!(uploaded.font.font_display, Some(FontDisplay::Fallback));

    let renamed = client
        .upload_font(
            &common::site(site),
            UploadSource::bytes("other.ttf", SampleFont::new("Ignored", 300, false).ttf()),
        )
        .family("Chosen")
        .weight(500)
        .send()
        .await
        .unwrap();
    assert_eq!(renamed.font.font_family.as_deref(), Some("Chosen"));
    assert_eq!(renamed.font.weight, Some(500));
}

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/fonts/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Google's reference WOFF2 and an EOT are read as their TTF: the font Webflow gets has the
/// family, weight, style and axes the TTF gives.
#[tokio::test]
async fn woff2_and_eot_files_are_read_like_their_ttf() {
    let (fake, client) = common::fake().await;
    let site = common::site(fake.site_id());
    let cases = [
        (
            "Inter-Italic-Variable-Latin.woff2",
            "Inter-Italic-Variable-Latin.ttf",
        ),
        ("DejaVuSans-Latin.eot", "DejaVuSans-Latin.ttf"),
    ];
    for (file, ttf) in cases {
        let from_ttf = client
            .upload_font(&site, UploadSource::bytes(ttf, fixture(ttf)))
            .prepare()
            .await
            .unwrap();
        let uploaded = client
            .upload_font(&site, UploadSource::bytes(file, fixture(file)))
            .send()
            .await
            .unwrap();
        let (font, plan) = (&uploaded.font, from_ttf.plan());
        assert_eq!(font.file_name.as_deref(), Some(file));
        assert_eq!(font.font_family.as_deref(), Some(plan.family.as_str()));
        assert_eq!(font.weight, Some(i64::from(plan.weight)));
        assert_eq!(font.italic, Some(plan.italic));
        assert_eq!(font.axes, plan.axes, "{file}");
        assert_eq!(
            uploaded.md5,
            webflow_assets::hash::md5_bytes(&fixture(file))
        );
    }
    let inter = client.list_fonts(&site).await.unwrap();
    let inter = inter
        .iter()
        .find(|f| f.format == Some(FontFormat::Woff2))
        .unwrap();
    assert_eq!(inter.font_family.as_deref(), Some("Inter"));
    assert_eq!(inter.italic, Some(true));
    assert_eq!(inter.axes[0].tag.as_deref(), Some("wght"));
}

/// A damaged font is refused with a typed error naming the file, whatever the builder
/// sets: a site would serve a font no browser loads.
#[tokio::test]
async fn a_corrupt_or_truncated_font_is_refused_naming_the_file() {
    let (fake, client) = common::fake().await;
    let site = common::site(fake.site_id());
    let woff2 = fixture("DejaVuSans-Latin.woff2");
    let mut corrupt = woff2.clone();
    corrupt[60..200].fill(0xa5);
    let eot = fixture("DejaVuSans-Latin.eot");
    let inputs = [
        ("Cut.woff2", woff2[..woff2.len() / 2].to_vec()),
        ("Corrupt.woff2", corrupt),
        ("Cut.eot", eot[..eot.len() - 100].to_vec()),
        ("NotAFont.woff2", b"wOF2 not really a font".to_vec()),
    ];
    for (name, bytes) in inputs {
        let err = client
            .upload_font(&site, UploadSource::bytes(name, bytes))
            .family("Given")
            .weight(400)
            .italic(false)
            .send()
            .await
            .unwrap_err();
        match &err {
            Error::Validation {
                file: Some(file),
                rule: Rule::Font(FontRule::Unreadable { reason, .. }),
                ..
            } => {
                assert_eq!(file, name);
                assert!(reason.starts_with("not a readable"), "{reason}");
            }
            other => panic!("{name}: expected Unreadable, got {other:?}"),
        }
        assert!(err.to_string().starts_with(name), "{err}");
    }
    assert!(fake.requests().is_empty(), "nothing was sent");
}

/// `woff2(true)`: a TTF goes up as `<stem>.woff2`, smaller, its metadata read from the TTF,
/// the manifest's MD5 (`source_md5`) the TTF's.
#[tokio::test]
async fn a_ttf_is_compressed_to_woff2_before_upload() {
    let (fake, client) = common::fake().await;
    let site = common::site(fake.site_id());
    let ttf = fixture("DejaVuSans-BoldOblique-Latin.ttf");
    let uploaded = client
        .upload_font(
            &site,
            UploadSource::bytes("DejaVuSans-BoldOblique-Latin.ttf", ttf.clone()),
        )
        .woff2(true)
        .send()
        .await
        .unwrap();
    assert_eq!(uploaded.file_name, "DejaVuSans-BoldOblique-Latin.woff2");
    assert_eq!(uploaded.font.format, Some(FontFormat::Woff2));
    assert_eq!(uploaded.font.font_family.as_deref(), Some("DejaVu Sans"));
    assert_eq!(uploaded.font.weight, Some(700));
    assert_eq!(uploaded.font.italic, Some(true));
    assert_eq!(uploaded.source_size, ttf.len() as u64);
    assert_eq!(uploaded.source_md5, webflow_assets::hash::md5_bytes(&ttf));
    let sent = fake
        .state()
        .object_bytes(&uploaded.s3_response.key.clone().unwrap())
        .unwrap();
    assert_eq!(&sent[..4], b"wOF2");
    assert_eq!(sent.len() as u64, uploaded.size);
    assert!(
        uploaded.size * 2 < uploaded.source_size,
        "{} of {}",
        uploaded.size,
        uploaded.source_size
    );
    assert_eq!(uploaded.md5, webflow_assets::hash::md5_bytes(&sent));
    assert_eq!(sent, webflow_assets::woff2::compress(&ttf).unwrap());

    // The fake serves it like any font: its hosted URL gives the WOFF2 bytes back, typed.
    let hosted = uploaded.font.hosted_url.clone().unwrap();
    let answer = reqwest::get(&hosted).await.unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.headers()["content-type"], "font/woff2");
    assert_eq!(answer.bytes().await.unwrap(), sent);

    // A replacement compresses the same way, and keeps the id.
    let replaced = client
        .replace_font_file(
            &site,
            &uploaded.id,
            UploadSource::bytes("DejaVuSans-Latin.ttf", fixture("DejaVuSans-Latin.ttf")),
        )
        .woff2(true)
        .send()
        .await
        .unwrap();
    assert_eq!(replaced.id, uploaded.id);
    assert_eq!(replaced.file_name, "DejaVuSans-Latin.woff2");
    assert_eq!(
        replaced.font.file_name.as_deref(),
        Some("DejaVuSans-Latin.woff2")
    );
    assert!(replaced.size < replaced.source_size);

    // A WOFF2 is sent as it is.
    let woff2 = fixture("DejaVuSans-Latin.woff2");
    let plan = client
        .upload_font(
            &site,
            UploadSource::bytes("DejaVuSans-Latin.woff2", woff2.clone()),
        )
        .woff2(true)
        .prepare()
        .await
        .unwrap();
    assert_eq!(plan.plan().file_name, "DejaVuSans-Latin.woff2");
    assert!(!plan.plan().compressed);
    assert_eq!(plan.plan().md5, webflow_assets::hash::md5_bytes(&woff2));
}

#[tokio::test]
async fn bad_fonts_are_refused_before_anything_is_sent() {
    let (fake, client) = common::fake().await;
    let site = fake.site_id();
    let ttf = SampleFont::new("Sample", 400, false).ttf();
    let rule = |err: Error| match err {
        Error::Validation {
            rule: Rule::Font(rule),
            ..
        } => rule,
        other => panic!("expected a font rule, got {other:?}"),
    };
    let send = |name: &str| {
        client
            .upload_font(
                &common::site(site),
                UploadSource::bytes(name.to_string(), ttf.clone()),
            )
            .send()
    };
    assert!(matches!(
        rule(send("font.svg").await.unwrap_err()),
        FontRule::UnsupportedExtension { .. }
    ));
    let long = format!("{}.ttf", "x".repeat(253));
    assert!(matches!(
        rule(send(&long).await.unwrap_err()),
        FontRule::FileNameTooLong { chars: 257, .. }
    ));
    let weight = client
        .upload_font(
            &common::site(site),
            UploadSource::bytes("a.ttf", ttf.clone()),
        )
        .weight(0)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(rule(weight), FontRule::Weight { weight: 0, .. }));
    let family = client
        .upload_font(
            &common::site(site),
            UploadSource::bytes("a.ttf", ttf.clone()),
        )
        .family("x".repeat(257))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(
        rule(family),
        FontRule::FamilyLength { chars: 257, .. }
    ));
    let inverted = client
        .upload_font(
            &common::site(site),
            UploadSource::bytes("a.ttf", ttf.clone()),
        )
        .axes(vec![axis("wght", 900.0, 400.0, 100.0)])
        .send()
        .await
        .unwrap_err();
    assert!(matches!(rule(inverted), FontRule::Axis { .. }));
    let many = (0..17)
        .map(|i| axis(&format!("a{i:03}"), 0.0, 0.0, 1.0))
        .collect();
    let too_many = client
        .upload_font(
            &common::site(site),
            UploadSource::bytes("a.ttf", ttf.clone()),
        )
        .axes(many)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(
        rule(too_many),
        FontRule::TooManyAxes { count: 17, .. }
    ));
    let tag = client
        .upload_font(
            &common::site(site),
            UploadSource::bytes("a.ttf", ttf.clone()),
        )
        .axes(vec![axis("wg\u{7f}t", 0.0, 0.0, 1.0)])
        .send()
        .await
        .unwrap_err();
    assert!(matches!(rule(tag), FontRule::AxisTag { .. }));
    assert!(fake.requests().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn a_conflicting_font_gets_a_typed_409() {
    let (fake, client) = common::fake().await;
    let site = fake.site_id();
    let font = SampleFont::new("Twice", 400, false);
    client
        .upload_font(
            &common::site(site),
            UploadSource::bytes("Twice.ttf", font.ttf()),
        )
        .send()
        .await
        .unwrap();
    let err = client
        .upload_font(
            &common::site(site),
            UploadSource::bytes("Twice-copy.woff", font.woff()),
        )
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Api { status: 409, .. }), "{err:?}");
    assert_eq!(
        client.list_fonts(&common::site(site)).await.unwrap().len(),
        1
    );
}

#[tokio::test]
async fn list_get_update_and_a_replace_that_keeps_the_id() {
    let (fake, client) = common::fake().await;
    let site = fake.site_id();
    let variable = SampleFont::new("Shifting", 400, false)
        .axis("wght", 100.0, 400.0, 900.0)
        .ttf();
    let first = client
        .upload_font(
            &common::site(site),
            UploadSource::bytes("Shifting.ttf", variable),
        )
        .send()
        .await
        .unwrap();
    client
        .upload_font(
            &common::site(site),
            UploadSource::bytes("Other.ttf", SampleFont::new("Other", 400, false).ttf()),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        client.list_fonts(&common::site(site)).await.unwrap().len(),
        2
    );

    let updated = client
        .update_font(&common::site(site), &first.id)
        .family("Shifting Display")
        .display(FontDisplay::Block)
        .send()
        .await
        .unwrap();
    assert_eq!(updated.font_family.as_deref(), Some("Shifting Display"));
    assert_eq!(updated.font_display, Some(FontDisplay::Block));
    assert_eq!(updated.axes.len(), 1);
    assert!(matches!(
        client
            .update_font(&common::site(site), &first.id)
            .send()
            .await,
        Err(Error::Validation {
            rule: Rule::Font(FontRule::NothingToUpdate),
            ..
        })
    ));

    // A static replacement for a variable font: its empty axes are read from the file and
    // sent as `[]`, which Webflow requires.
    let static_file = SampleFont::new("Shifting", 400, false).ttf();
    let replaced = client
        .replace_font_file(
            &common::site(site),
            &first.id,
            UploadSource::bytes("Shifting-Static.ttf", static_file.clone()),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(replaced.id, first.id);
    let now = client
        .get_font(&common::site(site), &first.id)
        .await
        .unwrap();
    assert_eq!(now.id.as_deref(), Some(first.id.as_str()));
    assert_eq!(now.file_name.as_deref(), Some("Shifting-Static.ttf"));
    assert!(now.axes.is_empty());
    assert_eq!(
        now.font_family.as_deref(),
        Some("Shifting Display"),
        "metadata kept"
    );
    let key = replaced.s3_response.key.clone().unwrap();
    assert_eq!(fake.state().object_bytes(&key).unwrap(), static_file);
    assert_eq!(
        client.list_fonts(&common::site(site)).await.unwrap().len(),
        2
    );

    // Back to variable, then an EOT whose font is compressed, so only its header is read and
    // its axes are unknown: refused before the upload, unless the axes are given.
    let variable = SampleFont::new("Shifting", 400, false).axis("wdth", 75.0, 100.0, 125.0);
    client
        .replace_font_file(
            &common::site(site),
            &first.id,
            UploadSource::bytes("Shifting.woff", variable.woff()),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        client
            .get_font(&common::site(site), &first.id)
            .await
            .unwrap()
            .axes
            .len(),
        1
    );
    fake.log().clear();
    let err = client
        .replace_font_file(
            &common::site(site),
            &first.id,
            UploadSource::bytes("Shifting.eot", compressed_eot()),
        )
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Validation {
                rule: Rule::Font(FontRule::AxesRequired),
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(count(&fake, Side::Webflow, "PUT", "/file"), 0);
    assert_eq!(count(&fake, Side::S3, "POST", ""), 0);
    client
        .replace_font_file(
            &common::site(site),
            &first.id,
            UploadSource::bytes("Shifting.eot", compressed_eot()),
        )
        .axes(vec![axis("wdth", 75.0, 100.0, 125.0)])
        .send()
        .await
        .unwrap();
}

/// The EOT fixture with its header's "MicroType Express compressed" flag set: what is read
/// of it comes from the header alone.
fn compressed_eot() -> Vec<u8> {
    let mut eot = fixture("DejaVuSans-Latin.eot");
    eot[12..16].copy_from_slice(&4u32.to_le_bytes());
    eot
}

#[tokio::test]
async fn batch_delete_reports_a_missing_id_and_is_idempotent() {
    let (fake, client) = common::fake().await;
    let site = fake.site_id();
    let mut ids = Vec::new();
    for weight in [300u16, 400, 700] {
        let font = SampleFont::new("Batch", weight, false).ttf();
        let uploaded = client
            .upload_font(
                &common::site(site),
                UploadSource::bytes(format!("Batch-{weight}.ttf"), font),
            )
            .confirm(false)
            .send()
            .await
            .unwrap();
        ids.push(uploaded.id);
    }
    let missing: FontId = "0123456789abcdef01234567".parse().unwrap();
    let report = client
        .delete_fonts(
            &common::site(site),
            &[ids[0].clone(), missing.clone(), ids[1].clone()],
        )
        .await
        .unwrap();
    assert_eq!(report.deleted, [ids[0].clone(), ids[1].clone()]);
    assert_eq!(report.failed.len(), 1);
    assert_eq!(report.failed[0].id.as_ref(), Some(&missing));
    assert_eq!(report.failed[0].reason, "NotFound");
    assert!(report.failed[0].already_gone());
    let again = client
        .delete_fonts(&common::site(site), &[ids[0].clone()])
        .await
        .unwrap();
    assert!(again.deleted.is_empty() && again.failed.len() == 1);
    let left = client.list_fonts(&common::site(site)).await.unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].id.as_deref(), Some(ids[2].as_str()));

    let many: Vec<FontId> = (0..150)
        .map(|i| format!("{:024x}", i + 1).parse().unwrap())
        .collect();
    let chunked = client
        .delete_fonts(&common::site(site), &many)
        .await
        .unwrap();
    assert_eq!(chunked.requests, 2, "100 ids a request");
    assert_eq!(chunked.failed.len(), 150);
    assert!(matches!(
        client
            .delete_fonts(&common::site(site), &[] as &[FontId])
            .await,
        Err(Error::Validation {
            rule: Rule::Font(FontRule::NoFonts),
            ..
        })
    ));
}

#[tokio::test]
async fn without_sites_write_fonts_get_missing_scopes() {
    let (fake, client) =
        common::start(webflow_fake::FakeWebflow::builder().scopes(["sites:read", "assets:write"]))
            .await;
    let err = client
        .upload_font(
            &common::site(fake.site_id()),
            UploadSource::bytes("a.ttf", SampleFont::new("A", 400, false).ttf()),
        )
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Api { status: 403, message, .. } if message.contains("sites:write")),
        "{err:?}"
    );
    assert!(
        client
            .list_fonts(&common::site(fake.site_id()))
            .await
            .unwrap()
            .is_empty()
    );
}
