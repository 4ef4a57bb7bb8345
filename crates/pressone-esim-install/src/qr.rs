//! QR codes for an activation code: SVG, PNG and terminal output (cargo feature `qr`).
//!
//! The QR code encodes the LPA string exactly as the API gave it ([`ActivationCode::as_str`]),
//! with no URL escaping, as SGP.22 §4.1 and the API's QR guide ask.
//!
//! ```
//! use pressone_esim_install::qr::{EcLevel, QrOptions};
//! use pressone_esim_install::ActivationCode;
//!
//! let code: ActivationCode = "LPA:1$lpa.airalo.com$TEST".parse()?;
//! let qr = code.qr(&QrOptions::new().ec_level(EcLevel::Q).module_size(6))?;
//! let svg: String = qr.to_svg();
//! let png: Vec<u8> = qr.to_png()?;
//! assert!(svg.starts_with("<svg"));
//! assert!(png.starts_with(b"\x89PNG"));
//! print!("{}", qr.to_terminal());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt::Write as _;

use crate::ActivationCode;

/// Largest image side accepted, in pixels (PNG and the SVG's `width`/`height`).
pub const MAX_IMAGE_SIDE: u32 = 8192;

/// Least difference in luma (Rec. 709, 0–255) between the light and the dark colour.
pub const MIN_LUMA_CONTRAST: u8 = 64;

/// QR error-correction level: how much of the symbol may be damaged and still read.
///
/// Higher levels make a larger (denser) symbol for the same text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub enum EcLevel {
    /// About 7 % of codewords can be restored.
    L,
    /// About 15 % of codewords can be restored (the default: a common choice for printed and
    /// on-screen eSIM codes).
    #[default]
    M,
    /// About 25 % of codewords can be restored.
    Q,
    /// About 30 % of codewords can be restored.
    H,
}

impl EcLevel {
    /// All four levels, lowest first.
    pub const ALL: [EcLevel; 4] = [EcLevel::L, EcLevel::M, EcLevel::Q, EcLevel::H];

    fn to_qrcode(self) -> qrcode::EcLevel {
        match self {
            Self::L => qrcode::EcLevel::L,
            Self::M => qrcode::EcLevel::M,
            Self::Q => qrcode::EcLevel::Q,
            Self::H => qrcode::EcLevel::H,
        }
    }
}

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Color {
    /// Red, 0–255.
    pub r: u8,
    /// Green, 0–255.
    pub g: u8,
    /// Blue, 0–255.
    pub b: u8,
}

impl Color {
    /// Black, the default dark colour.
    pub const BLACK: Color = Color::rgb(0, 0, 0);
    /// White, the default light colour.
    pub const WHITE: Color = Color::rgb(255, 255, 255);

    /// A colour from its red, green and blue components.
    pub const fn rgb(r: u8, g: u8, b: u8) -> Self {
        Self { r, g, b }
    }

    /// Rec. 709 luma, 0–255.
    pub fn luma(self) -> u8 {
        let weighted =
            2126 * u32::from(self.r) + 7152 * u32::from(self.g) + 722 * u32::from(self.b);
        u8::try_from(weighted / 10_000).unwrap_or(u8::MAX)
    }

    /// `#rrggbb`.
    pub fn to_hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }
}

/// How a QR code is drawn. Build it from [`QrOptions::new`] (or `default()`) and the setters.
///
/// | option | default | meaning |
/// |---|---|---|
/// | `ec_level` | [`EcLevel::M`] | error-correction level |
/// | `module_size` | 8 | pixels per module (PNG, SVG `width`/`height`), at least 1 |
/// | `min_size` | 0 | minimum image side in pixels; the module size grows to reach it |
/// | `quiet_zone` | 4 | light border, in modules (the QR standard asks for 4) |
/// | `dark`, `light` | black, white | colours (PNG, SVG); light must be clearly brighter |
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct QrOptions {
    /// Error-correction level.
    pub ec_level: EcLevel,
    /// Pixels per module, at least 1.
    pub module_size: u32,
    /// Minimum image side in pixels (0: no minimum).
    pub min_size: u32,
    /// Quiet zone (light border) in modules.
    pub quiet_zone: u32,
    /// Colour of dark modules.
    pub dark: Color,
    /// Colour of light modules and of the quiet zone.
    pub light: Color,
}

impl Default for QrOptions {
    fn default() -> Self {
        Self {
            ec_level: EcLevel::M,
            module_size: 8,
            min_size: 0,
            quiet_zone: 4,
            dark: Color::BLACK,
            light: Color::WHITE,
        }
    }
}

/// The options' setters: each `name(arg: Type) => field;` sets `self.field` to `arg` and
/// returns the options.
macro_rules! setters {
    ($($(#[$attr:meta])* $name:ident($arg:ident: $ty:ty) => $field:ident;)*) => {$(
        $(#[$attr])*
        #[must_use]
        pub fn $name(mut self, $arg: $ty) -> Self {
            self.$field = $arg;
            self
        }
    )*};
}

impl QrOptions {
    /// The defaults (see the table above).
    pub fn new() -> Self {
        Self::default()
    }

    setters! {
        /// Sets the error-correction level.
        ec_level(ec_level: EcLevel) => ec_level;
        /// Sets the pixels per module.
        module_size(pixels: u32) => module_size;
        /// Sets the minimum image side in pixels.
        min_size(pixels: u32) => min_size;
        /// Sets the quiet zone in modules.
        quiet_zone(modules: u32) => quiet_zone;
        /// Sets the dark colour.
        dark(color: Color) => dark;
        /// Sets the light colour.
        light(color: Color) => light;
    }
}

/// Why a QR code could not be made or rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QrError {
    /// The text does not fit in a QR code at this level (cannot happen for a valid
    /// [`ActivationCode`], which is at most 255 bytes).
    #[error("{len} bytes of text do not fit in a QR code at error-correction level {ec_level:?}")]
    DataTooLong {
        /// Length of the text in bytes.
        len: usize,
        /// The level asked for.
        ec_level: EcLevel,
    },
    /// Any other failure of the QR encoder.
    #[error("QR encoding failed: {0}")]
    Encode(String),
    /// `module_size` is 0.
    #[error("module size must be at least 1 pixel")]
    ZeroModuleSize,
    /// The image would be larger than [`MAX_IMAGE_SIDE`].
    #[error("image side would be {side} pixels; at most {max} are allowed")]
    ImageTooLarge {
        /// The side the options ask for.
        side: u64,
        /// [`MAX_IMAGE_SIDE`].
        max: u32,
    },
    /// The light colour is not at least [`MIN_LUMA_CONTRAST`] brighter than the dark one;
    /// inverted or low-contrast codes do not scan reliably.
    #[error(
        "light colour {light} must be at least {MIN_LUMA_CONTRAST}/255 brighter than dark colour {dark}"
    )]
    InsufficientContrast {
        /// The dark colour, `#rrggbb`.
        dark: String,
        /// The light colour, `#rrggbb`.
        light: String,
    },
    /// The PNG encoder failed.
    #[error("PNG encoding failed: {0}")]
    Png(String),
}

/// Which terminal background [`EsimQr::to_terminal_with`] draws for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum TerminalTheme {
    /// Light text on a dark background (most terminals): light modules and the quiet zone are
    /// drawn with block characters, dark modules are left blank.
    #[default]
    DarkBackground,
    /// Dark text on a light background: dark modules are drawn, light ones left blank.
    LightBackground,
}

/// A QR code for one activation code, ready to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EsimQr {
    text: String,
    /// Row-major, `true` = dark, `width * width` entries, without quiet zone.
    modules: Vec<bool>,
    width: usize,
    options: QrOptions,
    /// Modules per side including the quiet zone.
    total: usize,
    /// Pixels per module.
    scale: usize,
}

impl EsimQr {
    /// Encodes `code` ([`ActivationCode::as_str`]) with `options`.
    ///
    /// # Errors
    ///
    /// [`QrError::ZeroModuleSize`], [`QrError::ImageTooLarge`] or
    /// [`QrError::InsufficientContrast`] for bad options; [`QrError::DataTooLong`] or
    /// [`QrError::Encode`] from the encoder.
    pub fn new(code: &ActivationCode, options: &QrOptions) -> Result<Self, QrError> {
        let text = code.as_str();
        if options.module_size == 0 {
            return Err(QrError::ZeroModuleSize);
        }
        if u16::from(options.light.luma())
            < u16::from(options.dark.luma()) + u16::from(MIN_LUMA_CONTRAST)
        {
            return Err(QrError::InsufficientContrast {
                dark: options.dark.to_hex(),
                light: options.light.to_hex(),
            });
        }
        let qr = qrcode::QrCode::with_error_correction_level(
            text.as_bytes(),
            options.ec_level.to_qrcode(),
        )
        .map_err(|err| match err {
            qrcode::types::QrError::DataTooLong => QrError::DataTooLong {
                len: text.len(),
                ec_level: options.ec_level,
            },
            other => QrError::Encode(other.to_string()),
        })?;
        let width = qr.width();
        let modules: Vec<bool> = qr
            .into_colors()
            .into_iter()
            .map(|c| c == qrcode::Color::Dark)
            .collect();

        let max = u64::from(MAX_IMAGE_SIDE);
        let total = (width as u64).saturating_add(2 * u64::from(options.quiet_zone));
        let scale = u64::from(options.module_size).max(u64::from(options.min_size).div_ceil(total));
        let side = total.saturating_mul(scale);
        if side > max {
            return Err(QrError::ImageTooLarge {
                side,
                max: MAX_IMAGE_SIDE,
            });
        }
        let (Ok(total), Ok(scale)) = (usize::try_from(total), usize::try_from(scale)) else {
            return Err(QrError::ImageTooLarge {
                side,
                max: MAX_IMAGE_SIDE,
            });
        };
        Ok(Self {
            text: text.to_owned(),
            modules,
            width,
            options: options.clone(),
            total,
            scale,
        })
    }

    /// The encoded text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The options it was made with.
    pub fn options(&self) -> &QrOptions {
        &self.options
    }

    /// Modules per side of the symbol itself (21 for version 1, up to 177), without quiet zone.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Modules per side including the quiet zone on both sides.
    pub fn size_with_quiet_zone(&self) -> usize {
        self.total
    }

    /// Pixels per module in the PNG (and in the SVG's `width`/`height`).
    pub fn pixels_per_module(&self) -> usize {
        self.scale
    }

    /// Side of the PNG image in pixels.
    pub fn image_side(&self) -> usize {
        self.total * self.scale
    }

    /// Whether the module at (`x`, `y`) of the symbol (no quiet zone; origin top left) is dark.
    /// Outside the symbol: `false`.
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.width
            && y < self.width
            && self
                .modules
                .get(y * self.width + x)
                .copied()
                .unwrap_or(false)
    }

    /// Like [`is_dark`](Self::is_dark), in coordinates that include the quiet zone.
    fn is_dark_padded(&self, x: usize, y: usize) -> bool {
        let qz = self.total.saturating_sub(self.width) / 2;
        match (x.checked_sub(qz), y.checked_sub(qz)) {
            (Some(x), Some(y)) => self.is_dark(x, y),
            _ => false,
        }
    }

    /// An SVG document: one module per user unit, `viewBox="0 0 N N"` with N the size including
    /// the quiet zone, `width`/`height` in pixels ([`image_side`](Self::image_side)), light
    /// background rectangle and one path for the dark modules.
    pub fn to_svg(&self) -> String {
        let n = self.total;
        let side = self.image_side();
        let mut path = String::new();
        for y in 0..n {
            let mut x = 0;
            while x < n {
                if self.is_dark_padded(x, y) {
                    let start = x;
                    while x < n && self.is_dark_padded(x, y) {
                        x += 1;
                    }
                    let run = x - start;
                    let _ = write!(path, "M{start} {y}h{run}v1h-{run}z");
                } else {
                    x += 1;
                }
            }
        }
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{side}\" height=\"{side}\" \
             viewBox=\"0 0 {n} {n}\" shape-rendering=\"crispEdges\">\
             <rect x=\"0\" y=\"0\" width=\"{n}\" height=\"{n}\" fill=\"{light}\"/>\
             <path fill=\"{dark}\" d=\"{path}\"/></svg>\n",
            light = self.options.light.to_hex(),
            dark = self.options.dark.to_hex(),
        )
    }

    /// A PNG image (1-bit palette: light, dark), [`image_side`](Self::image_side) pixels square.
    ///
    /// # Errors
    ///
    /// [`QrError::Png`] if the encoder fails.
    pub fn to_png(&self) -> Result<Vec<u8>, QrError> {
        let side = self.image_side();
        let side_u32 = u32::try_from(side).map_err(|_| QrError::ImageTooLarge {
            side: side as u64,
            max: MAX_IMAGE_SIDE,
        })?;
        let row_bytes = side.div_ceil(8);
        let mut data = Vec::with_capacity(row_bytes * side);
        let mut row = vec![0u8; row_bytes];
        for my in 0..self.total {
            row.iter_mut().for_each(|b| *b = 0);
            for px in 0..side {
                if self.is_dark_padded(px / self.scale, my)
                    && let Some(byte) = row.get_mut(px / 8)
                {
                    *byte |= 0x80 >> (px % 8);
                }
            }
            for _ in 0..self.scale {
                data.extend_from_slice(&row);
            }
        }

        let mut out = Vec::new();
        {
            let mut encoder = png::Encoder::new(&mut out, side_u32, side_u32);
            encoder.set_color(png::ColorType::Indexed);
            encoder.set_depth(png::BitDepth::One);
            let (light, dark) = (self.options.light, self.options.dark);
            encoder.set_palette(vec![light.r, light.g, light.b, dark.r, dark.g, dark.b]);
            let mut writer = encoder
                .write_header()
                .map_err(|e| QrError::Png(e.to_string()))?;
            writer
                .write_image_data(&data)
                .map_err(|e| QrError::Png(e.to_string()))?;
            writer.finish().map_err(|e| QrError::Png(e.to_string()))?;
        }
        Ok(out)
    }

    /// Text for a dark terminal, same as
    /// [`to_terminal_with(TerminalTheme::DarkBackground)`](Self::to_terminal_with).
    pub fn to_terminal(&self) -> String {
        self.to_terminal_with(TerminalTheme::DarkBackground)
    }

    /// Text drawing the code with Unicode half blocks (`▀ ▄ █`), two module rows per line, one
    /// module per column, each line ending in `\n`. The quiet zone (from the options) is drawn
    /// light, so a phone can scan the code off the screen. Colours in the options are ignored:
    /// the terminal's own foreground and background are used, as `theme` says.
    pub fn to_terminal_with(&self, theme: TerminalTheme) -> String {
        let n = self.total;
        // Whether a cell is drawn with the foreground (block) colour.
        let ink = |x: usize, y: usize| -> bool {
            if y >= n {
                return false;
            }
            let dark = self.is_dark_padded(x, y);
            match theme {
                TerminalTheme::DarkBackground => !dark,
                TerminalTheme::LightBackground => dark,
            }
        };
        let mut out = String::with_capacity((n + 1) * n.div_ceil(2) * 3);
        for y in (0..n).step_by(2) {
            for x in 0..n {
                out.push(match (ink(x, y), ink(x, y + 1)) {
                    (true, true) => '\u{2588}',
                    (true, false) => '\u{2580}',
                    (false, true) => '\u{2584}',
                    (false, false) => ' ',
                });
            }
            out.push('\n');
        }
        out
    }
}

impl ActivationCode {
    /// This code as a QR code, see [`EsimQr::new`]. Needs the `qr` feature.
    ///
    /// # Errors
    ///
    /// See [`EsimQr::new`].
    pub fn qr(&self, options: &QrOptions) -> Result<EsimQr, QrError> {
        EsimQr::new(self, options)
    }
}
