//! QR output: PNG, SVG and terminal renderings decoded back with an independent QR reader.
#![cfg(feature = "qr")]

use std::io::Cursor;

use pressone_esim_install::ActivationCode;
use pressone_esim_install::qr::{
    Color, EcLevel, EsimQr, MAX_IMAGE_SIDE, QrError, QrOptions, TerminalTheme,
};

/// Real-shaped codes: long hosts, upper/lower/mixed case matching IDs, flag, OID, v3 fields.
const CODES: &[&str] = &[
    "LPA:1$lpa.airalo.com$TEST",
    "LPA:1$rsp-eu.simlessly.com$A1B2C3D4E5F6G7H8",
    "LPA:1$wbg.prod.ondemandconnectivity.com$Y7MRQ886FCDJD4RH",
    "LPA:1$smdp-plus-production-eu-west-1.rsp.mobile-operator-group.example.com$K2-4ZC8K-1WD5XXQ",
    "LPA:1$RSP-3088.IDEMIA.IO$YVTGM-5LZC6-PIC56-KFEZJ",
    "LPA:1$rsp-eu.simlessly.com$y7mrq886fcdjd4rh-lower-case",
    "LPA:1$rsp.truphone.com$QR-G-5C-21K-1CHHCG1",
    "LPA:1$SMDP.GSMA.COM$04386-AGYFT-A74Y8-3F815$$1",
    "LPA:1$SMDP.GSMA.COM$04386-AGYFT-A74Y8-3F815$1.3.6.1.4.1.31746",
    "LPA:1$SMDP.GSMA.COM$04386-AGYFT-A74Y8-3F815$1.3.6.1.4.1.31746$1",
    "LPA:1$smdp.example.com$ABC$$$F54172BDF98A95D65CBEB88A38A1C11D800A85C3",
    "lpa:1$lpa.airalo.com$TEST",
    "LPA:1$smdp.example.com$",
];

fn code(s: &str) -> ActivationCode {
    s.parse().unwrap()
}

/// rqrr's `ecc_level` is the 2-bit format field: M=0, L=1, H=2, Q=3.
fn rqrr_level(level: EcLevel) -> u16 {
    match level {
        EcLevel::M => 0,
        EcLevel::L => 1,
        EcLevel::H => 2,
        EcLevel::Q => 3,
    }
}

/// Decodes a greyscale bitmap with rqrr; expects exactly one QR code.
fn decode_grey(width: usize, height: usize, grey: &[u8]) -> (rqrr::MetaData, String) {
    let mut img =
        rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| grey[y * width + x]);
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "expected one QR code");
    grids[0].decode().expect("QR code decodes")
}

/// Decodes PNG bytes (any colour type) to greyscale.
fn png_to_grey(png_bytes: &[u8]) -> (usize, usize, Vec<u8>) {
    let mut decoder = png::Decoder::new(Cursor::new(png_bytes));
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    let channels = match info.color_type {
        png::ColorType::Grayscale => 1,
        png::ColorType::GrayscaleAlpha => 2,
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        png::ColorType::Indexed => unreachable!("EXPAND turns palettes into RGB"),
    };
    let (w, h) = (info.width as usize, info.height as usize);
    let grey = buf[..info.buffer_size()]
        .chunks(info.line_size)
        .flat_map(|line| {
            line.chunks(channels).take(w).map(|px| {
                if channels >= 3 {
                    ((u32::from(px[0]) * 2126 + u32::from(px[1]) * 7152 + u32::from(px[2]) * 722)
                        / 10_000) as u8
                } else {
                    px[0]
                }
            })
        })
        .collect::<Vec<u8>>();
    assert_eq!(grey.len(), w * h);
    (w, h, grey)
}

#[test]
fn png_round_trip_every_code_every_level() {
    for text in CODES {
        let c = code(text);
        for level in EcLevel::ALL {
            let qr = c
                .qr(&QrOptions::new().ec_level(level).module_size(4))
                .unwrap();
            let png_bytes = qr.to_png().unwrap();
            let (w, h, grey) = png_to_grey(&png_bytes);
            assert_eq!((w, h), (qr.image_side(), qr.image_side()));
            let (meta, content) = decode_grey(w, h, &grey);
            assert_eq!(content, *text, "{level:?}");
            assert_eq!(meta.ecc_level, rqrr_level(level), "{text} {level:?}");
        }
    }
}

#[test]
fn png_round_trip_longest_code_at_level_h() {
    let prefix = "LPA:1$rsp-eu.simlessly.com$";
    let id: String = "abcDEF0123456789-xyz"
        .chars()
        .cycle()
        .take(255 - prefix.len())
        .collect();
    let text = format!("{prefix}{id}");
    assert_eq!(text.len(), 255);
    let qr = code(&text)
        .qr(&QrOptions::new().ec_level(EcLevel::H).module_size(3))
        .unwrap();
    let (w, h, grey) = png_to_grey(&qr.to_png().unwrap());
    assert_eq!(decode_grey(w, h, &grey).1, text);
}

#[test]
fn png_with_brand_colours_still_decodes() {
    let c = code("LPA:1$wbg.prod.ondemandconnectivity.com$Y7MRQ886FCDJD4RH");
    let options = QrOptions::new()
        .dark(Color::rgb(0x10, 0x20, 0x60))
        .light(Color::rgb(0xff, 0xf8, 0xe0))
        .module_size(5);
    let qr = c.qr(&options).unwrap();
    let (w, h, grey) = png_to_grey(&qr.to_png().unwrap());
    assert_eq!(decode_grey(w, h, &grey).1, c.as_str());
}

#[test]
fn png_sizes_follow_options() {
    let c = code("LPA:1$lpa.airalo.com$TEST");
    let options = QrOptions::new().module_size(3).quiet_zone(2);
    let qr = c.qr(&options).unwrap();
    assert_eq!(qr.size_with_quiet_zone(), qr.width() + 4);
    assert_eq!(qr.pixels_per_module(), 3);
    assert_eq!(qr.image_side(), qr.size_with_quiet_zone() * 3);

    // min_size grows the module size to the next whole pixel count.
    let options = QrOptions::new().module_size(1).min_size(500);
    let qr = c.qr(&options).unwrap();
    assert!(qr.image_side() >= 500);
    assert!(qr.image_side() < 500 + qr.size_with_quiet_zone());
    let (w, _, _) = png_to_grey(&qr.to_png().unwrap());
    assert_eq!(w, qr.image_side());
}

#[test]
fn quiet_zone_is_light() {
    let c = code("LPA:1$lpa.airalo.com$TEST");
    let options = QrOptions::new().module_size(2).quiet_zone(4);
    let qr = c.qr(&options).unwrap();
    let (w, h, grey) = png_to_grey(&qr.to_png().unwrap());
    let border = 4 * 2;
    for y in 0..h {
        for x in 0..w {
            if x < border || y < border || x >= w - border || y >= h - border {
                assert_eq!(grey[y * w + x], 255, "({x},{y})");
            }
        }
    }
    // The finder pattern's corner module is dark, right inside the quiet zone.
    assert_eq!(grey[border * w + border], 0);
    assert!(qr.is_dark(0, 0));
    assert!(!qr.is_dark(qr.width(), 0));
}

/// Reads the dark-module rectangles back out of the SVG path.
fn svg_to_grey(svg: &str, scale: usize) -> (usize, Vec<u8>) {
    let view = svg.split("viewBox=\"0 0 ").nth(1).unwrap();
    let n: usize = view.split(' ').next().unwrap().parse().unwrap();
    let d = svg
        .split(" d=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let side = n * scale;
    let mut grey = vec![255u8; side * side];
    for segment in d.split('z').filter(|s| !s.is_empty()) {
        // M{x} {y}h{run}v1h-{run}
        let rest = segment.strip_prefix('M').unwrap();
        let (x, rest) = rest.split_once(' ').unwrap();
        let (y, rest) = rest.split_once('h').unwrap();
        let (run, rest) = rest.split_once('v').unwrap();
        assert_eq!(rest, format!("1h-{run}"));
        let (x, y, run): (usize, usize, usize) =
            (x.parse().unwrap(), y.parse().unwrap(), run.parse().unwrap());
        for py in y * scale..(y + 1) * scale {
            for px in x * scale..(x + run) * scale {
                grey[py * side + px] = 0;
            }
        }
    }
    (side, grey)
}

#[test]
fn svg_is_well_formed_with_right_viewbox() {
    for text in CODES {
        let c = code(text);
        for qz in [0u32, 1, 4, 10] {
            let qr = c
                .qr(&QrOptions::new().quiet_zone(qz).module_size(8))
                .unwrap();
            let svg = qr.to_svg();
            let n = qr.width() + 2 * qz as usize;
            assert!(svg.starts_with("<svg"), "{svg}");
            assert!(svg.trim_end().ends_with("</svg>"));
            assert!(svg.contains("xmlns=\"http://www.w3.org/2000/svg\""));
            assert!(svg.contains(&format!("viewBox=\"0 0 {n} {n}\"")), "{svg}");
            let px = n * 8;
            assert!(svg.contains(&format!("width=\"{px}\" height=\"{px}\"")));
            assert!(svg.contains("fill=\"#ffffff\""));
            assert!(svg.contains("fill=\"#000000\""));
            assert_eq!(svg.matches('<').count(), svg.matches('>').count());
            assert!(
                !svg.contains('$'),
                "the LPA text is not written into the SVG"
            );
        }
    }
}

#[test]
fn svg_modules_match_and_decode() {
    for text in CODES {
        let c = code(text);
        let qr = c.qr(&QrOptions::new().quiet_zone(4)).unwrap();
        let (side, grey) = svg_to_grey(&qr.to_svg(), 1);
        let n = qr.size_with_quiet_zone();
        assert_eq!(side, n);
        for y in 0..n {
            for x in 0..n {
                let dark = x >= 4 && y >= 4 && qr.is_dark(x - 4, y - 4);
                assert_eq!(grey[y * n + x] == 0, dark, "{text} ({x},{y})");
            }
        }
        let (side, grey) = svg_to_grey(&qr.to_svg(), 4);
        assert_eq!(decode_grey(side, side, &grey).1, *text);
    }
}

#[test]
fn svg_uses_custom_colours() {
    let c = code("LPA:1$lpa.airalo.com$TEST");
    let svg = c
        .qr(&QrOptions::new()
            .dark(Color::rgb(0x12, 0x34, 0x56))
            .light(Color::rgb(0xfe, 0xdc, 0xba)))
        .unwrap()
        .to_svg();
    assert!(svg.contains("fill=\"#123456\""));
    assert!(svg.contains("fill=\"#fedcba\""));
}

/// Turns half-block terminal text back into a greyscale bitmap (block = ink).
fn terminal_to_grey(text: &str, theme: TerminalTheme, scale: usize) -> (usize, Vec<u8>) {
    let lines: Vec<Vec<char>> = text.lines().map(|l| l.chars().collect()).collect();
    let n = lines[0].len();
    assert!(lines.iter().all(|l| l.len() == n));
    let rows = lines.len() * 2;
    let side = n.max(rows) * scale;
    let (ink, paper) = match theme {
        TerminalTheme::DarkBackground => (255u8, 0u8),
        TerminalTheme::LightBackground => (0u8, 255u8),
    };
    // Outside the drawn area: the terminal background (paper).
    let mut grey = vec![paper; side * side];
    for (row, line) in lines.iter().enumerate() {
        for (x, ch) in line.iter().enumerate() {
            let (top, bottom) = match ch {
                '\u{2588}' => (true, true),
                '\u{2580}' => (true, false),
                '\u{2584}' => (false, true),
                ' ' => (false, false),
                other => panic!("unexpected {other:?}"),
            };
            for (dy, on) in [(0, top), (1, bottom)] {
                let y = row * 2 + dy;
                for py in y * scale..(y + 1) * scale {
                    for px in x * scale..(x + 1) * scale {
                        grey[py * side + px] = if on { ink } else { paper };
                    }
                }
            }
        }
    }
    (side, grey)
}

#[test]
fn terminal_rendering_shape_and_quiet_zone() {
    let c = code("LPA:1$lpa.airalo.com$TEST");
    let qr = c.qr(&QrOptions::new()).unwrap();
    let text = qr.to_terminal();
    assert_eq!(text, qr.to_terminal_with(TerminalTheme::DarkBackground));
    let n = qr.size_with_quiet_zone();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), n.div_ceil(2));
    assert!(text.ends_with('\n'));
    // Dark terminal: the quiet zone is drawn light with full blocks.
    assert!(lines[0].chars().all(|c| c == '\u{2588}'));
    assert!(lines[1].chars().all(|c| c == '\u{2588}'));
    assert!(lines.iter().all(|l| l.chars().count() == n));
    // Left and right quiet zone columns are light on every line (N is odd, so the last line
    // only has a top half: `▀`).
    let (last, body) = lines.split_last().unwrap();
    assert!(
        body.iter()
            .all(|l| l.starts_with("\u{2588}\u{2588}\u{2588}\u{2588}"))
    );
    assert!(
        body.iter()
            .all(|l| l.ends_with("\u{2588}\u{2588}\u{2588}\u{2588}"))
    );
    assert_eq!(n % 2, 1);
    assert!(last.chars().all(|c| c == '\u{2580}'));

    // Light terminal: the quiet zone is blank.
    let light = qr.to_terminal_with(TerminalTheme::LightBackground);
    assert!(light.lines().next().unwrap().chars().all(|c| c == ' '));
}

#[test]
fn terminal_rendering_decodes_in_both_themes() {
    for text in CODES {
        let c = code(text);
        let qr = c.qr(&QrOptions::new().ec_level(EcLevel::L)).unwrap();
        for theme in [
            TerminalTheme::DarkBackground,
            TerminalTheme::LightBackground,
        ] {
            let rendered = qr.to_terminal_with(theme);
            let (side, grey) = terminal_to_grey(&rendered, theme, 4);
            // Seen on screen, a dark-theme rendering is light modules on a dark background:
            // exactly the code, with its light quiet zone.
            assert_eq!(decode_grey(side, side, &grey).1, *text, "{theme:?}");
        }
    }
}

#[test]
fn option_errors() {
    let c = code("LPA:1$lpa.airalo.com$TEST");
    assert_eq!(
        c.qr(&QrOptions::new().module_size(0)).unwrap_err(),
        QrError::ZeroModuleSize
    );
    assert!(matches!(
        c.qr(&QrOptions::new().min_size(MAX_IMAGE_SIDE + 1))
            .unwrap_err(),
        QrError::ImageTooLarge {
            max: MAX_IMAGE_SIDE,
            ..
        }
    ));
    assert!(matches!(
        c.qr(&QrOptions::new().quiet_zone(u32::MAX)).unwrap_err(),
        QrError::ImageTooLarge { .. }
    ));
    assert!(matches!(
        c.qr(&QrOptions::new().module_size(u32::MAX)).unwrap_err(),
        QrError::ImageTooLarge { .. }
    ));
    assert_eq!(
        c.qr(&QrOptions::new().dark(Color::WHITE).light(Color::BLACK))
            .unwrap_err(),
        QrError::InsufficientContrast {
            dark: "#ffffff".into(),
            light: "#000000".into()
        }
    );
    assert!(matches!(
        c.qr(&QrOptions::new()
            .dark(Color::rgb(90, 90, 90))
            .light(Color::rgb(120, 120, 120)))
            .unwrap_err(),
        QrError::InsufficientContrast { .. }
    ));
    assert_eq!(
        QrError::ZeroModuleSize.to_string(),
        "module size must be at least 1 pixel"
    );
}

#[test]
fn defaults_and_accessors() {
    let options = QrOptions::default();
    assert_eq!(options, QrOptions::new());
    assert_eq!(options.ec_level, EcLevel::M);
    assert_eq!(options.module_size, 8);
    assert_eq!(options.min_size, 0);
    assert_eq!(options.quiet_zone, 4);
    assert_eq!(options.dark, Color::BLACK);
    assert_eq!(options.light, Color::WHITE);
    assert_eq!(EcLevel::default(), EcLevel::M);

    let c = code("lpa:1$lpa.airalo.com$TEST");
    let qr = EsimQr::new(&c, &options).unwrap();
    assert_eq!(qr.text(), "lpa:1$lpa.airalo.com$TEST");
    assert_eq!(qr.options(), &options);
    assert_eq!(qr.width(), 25); // 25 bytes at level M: version 2
}

#[test]
fn higher_levels_never_make_smaller_symbols() {
    for text in CODES {
        let c = code(text);
        let widths: Vec<usize> = EcLevel::ALL
            .iter()
            .map(|&l| c.qr(&QrOptions::new().ec_level(l)).unwrap().width())
            .collect();
        assert!(
            widths.windows(2).all(|w| w[0] <= w[1]),
            "{text}: {widths:?}"
        );
    }
}
