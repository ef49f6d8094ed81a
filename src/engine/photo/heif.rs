//! HEIC photos (iPhones' default) through the system's libheif, loaded when the first one is
//! opened. Loading it at run time keeps SMP Studio building and starting on a machine
//! without it: there, a HEIC photo is refused with a sentence saying how to get it read.
//!
//! Only libheif's stable C interface is used (unchanged since libheif 1.7; Debian 12 ships
//! 1.15). libheif applies the photo's own rotation and mirroring (`irot`/`imir`) while
//! decoding; the EXIF orientation a HEIC also carries is ignored, as the HEIF standard says.

use std::ffi::{c_char, c_int, c_void};
use std::sync::OnceLock;

/// The library's file name on each system.
const LIBRARY_NAMES: &[&str] = &["libheif.so.1", "libheif.1.dylib", "libheif.dll", "heif.dll"];

/// libheif's error codes that matter here (`heif_error_code`, `heif_suberror_code`).
const OK: c_int = 0;
const END_OF_DATA: c_int = 100;
const UNSUPPORTED_FEATURE: c_int = 4;
const DECODER_PLUGIN_ERROR: c_int = 7;
/// `heif_colorspace_RGB`, `heif_chroma_interleaved_RGB`, `heif_channel_interleaved`.
const COLORSPACE_RGB: c_int = 1;
const CHROMA_INTERLEAVED_RGB: c_int = 10;
const CHANNEL_INTERLEAVED: c_int = 10;

#[repr(C)]
struct HeifError {
    code: c_int,
    subcode: c_int,
    message: *const c_char,
}

/// The start of `heif_decoding_options`, as far as `convert_hdr_to_8bit` (version 2 on; the
/// library allocates the whole structure and says its version).
#[repr(C)]
struct DecodingOptions {
    version: u8,
    ignore_transformations: u8,
    start_progress: *const c_void,
    on_progress: *const c_void,
    end_progress: *const c_void,
    progress_user_data: *const c_void,
    convert_hdr_to_8bit: u8,
}

enum Context {}
enum Handle {}
enum Image {}

/// The functions used, looked up once; the library stays loaded for the program's life.
struct Api {
    _library: libloading::Library,
    context_alloc: unsafe extern "C" fn() -> *mut Context,
    context_free: unsafe extern "C" fn(*mut Context),
    read_from_memory: unsafe extern "C" fn(*mut Context, *const c_void, usize, *const c_void) -> HeifError,
    primary_handle: unsafe extern "C" fn(*mut Context, *mut *mut Handle) -> HeifError,
    handle_release: unsafe extern "C" fn(*const Handle),
    handle_width: unsafe extern "C" fn(*const Handle) -> c_int,
    handle_height: unsafe extern "C" fn(*const Handle) -> c_int,
    options_alloc: unsafe extern "C" fn() -> *mut DecodingOptions,
    options_free: unsafe extern "C" fn(*mut DecodingOptions),
    decode: unsafe extern "C" fn(
        *const Handle,
        *mut *mut Image,
        c_int,
        c_int,
        *const DecodingOptions,
    ) -> HeifError,
    image_width: unsafe extern "C" fn(*const Image, c_int) -> c_int,
    image_height: unsafe extern "C" fn(*const Image, c_int) -> c_int,
    plane: unsafe extern "C" fn(*const Image, c_int, *mut c_int) -> *const u8,
    image_release: unsafe extern "C" fn(*const Image),
}

impl Api {
    fn load() -> Option<Api> {
        // SAFETY: libheif's initialisers only set up its codec tables; each symbol is looked
        // up by its documented name and given its documented C signature.
        unsafe {
            let library = LIBRARY_NAMES.iter().find_map(|name| libloading::Library::new(name).ok())?;
            macro_rules! get {
                ($name:literal) => {
                    *library.get(concat!($name, "\0").as_bytes()).ok()?
                };
            }
            // Present from 1.13 on: loads codec plugins where libheif keeps them as plugins.
            if let Ok(init) = library.get::<unsafe extern "C" fn(*const c_void) -> HeifError>(b"heif_init\0")
            {
                init(std::ptr::null());
            }
            Some(Api {
                context_alloc: get!("heif_context_alloc"),
                context_free: get!("heif_context_free"),
                read_from_memory: get!("heif_context_read_from_memory_without_copy"),
                primary_handle: get!("heif_context_get_primary_image_handle"),
                handle_release: get!("heif_image_handle_release"),
                handle_width: get!("heif_image_handle_get_width"),
                handle_height: get!("heif_image_handle_get_height"),
                options_alloc: get!("heif_decoding_options_alloc"),
                options_free: get!("heif_decoding_options_free"),
                decode: get!("heif_decode_image"),
                image_width: get!("heif_image_get_width"),
                image_height: get!("heif_image_get_height"),
                plane: get!("heif_image_get_plane_readonly"),
                image_release: get!("heif_image_release"),
                _library: library,
            })
        }
    }
}

fn api() -> Option<&'static Api> {
    static API: OnceLock<Option<Api>> = OnceLock::new();
    API.get_or_init(Api::load).as_ref()
}

/// Whether HEIC photos can be read on this computer.
pub fn available() -> bool {
    api().is_some()
}

/// Why a HEIC photo could not be read.
#[derive(Debug, PartialEq, Eq)]
pub enum HeifFailure {
    /// No libheif on this computer, or one without an HEVC decoder.
    Unavailable,
    /// The file ends before the picture does.
    Incomplete,
    Damaged,
    /// The photo is `width` × `height` (upright) and the caller's check refused that size.
    Refused,
}

/// A decoded photo: 8-bit RGB, upright.
pub struct Decoded {
    pub width: u32,
    pub height: u32,
    pub rgb: Vec<u8>,
}

/// Frees what libheif allocated when it goes out of scope, whatever path is taken.
struct Owned<T, F: Fn(*mut T)>(*mut T, F);

impl<T, F: Fn(*mut T)> Drop for Owned<T, F> {
    fn drop(&mut self) {
        if !self.0.is_null() {
            (self.1)(self.0);
        }
    }
}

fn failure(e: &HeifError) -> Option<HeifFailure> {
    match e.code {
        OK => None,
        _ if e.subcode == END_OF_DATA => Some(HeifFailure::Incomplete),
        UNSUPPORTED_FEATURE | DECODER_PLUGIN_ERROR => Some(HeifFailure::Unavailable),
        _ => Some(HeifFailure::Damaged),
    }
}

/// Decodes the primary image of a HEIF file. `allow(width, height)` is asked with the upright
/// size before any pixel is decoded; returning `false` stops there.
pub fn decode(bytes: &[u8], allow: impl FnOnce(u32, u32) -> bool) -> Result<Decoded, HeifFailure> {
    let api = api().ok_or(HeifFailure::Unavailable)?;
    // SAFETY: each pointer libheif hands out is checked for null, used only while its owner
    // lives (`bytes` outlives the context, which outlives the handle; the image is copied
    // before it is released) and released exactly once by `Owned`. Plane reads stay within
    // the rows libheif reports: `height` rows of `stride` bytes, each holding `width` × 3.
    unsafe {
        let context = Owned((api.context_alloc)(), |c| (api.context_free)(c));
        if context.0.is_null() {
            return Err(HeifFailure::Damaged);
        }
        let read = (api.read_from_memory)(context.0, bytes.as_ptr().cast(), bytes.len(), std::ptr::null());
        if let Some(f) = failure(&read) {
            return Err(f);
        }
        let mut handle = std::ptr::null_mut();
        if let Some(f) = failure(&(api.primary_handle)(context.0, &mut handle)) {
            return Err(f);
        }
        let handle = Owned(handle, |h| (api.handle_release)(h));
        if handle.0.is_null() {
            return Err(HeifFailure::Damaged);
        }
        let (width, height) = ((api.handle_width)(handle.0), (api.handle_height)(handle.0));
        let (Ok(width), Ok(height)) = (u32::try_from(width), u32::try_from(height)) else {
            return Err(HeifFailure::Damaged);
        };
        if width == 0 || height == 0 {
            return Err(HeifFailure::Damaged);
        }
        if !allow(width, height) {
            return Err(HeifFailure::Refused);
        }
        let options = Owned((api.options_alloc)(), |o| (api.options_free)(o));
        if !options.0.is_null() && (*options.0).version >= 2 {
            // 10-bit photos (an iPhone's HDR mode) come out as 8-bit RGB, like every other.
            (*options.0).convert_hdr_to_8bit = 1;
        }
        let mut image = std::ptr::null_mut();
        let decoded = (api.decode)(
            handle.0,
            &mut image,
            COLORSPACE_RGB,
            CHROMA_INTERLEAVED_RGB,
            options.0.cast_const(),
        );
        let image = Owned(image, |i| (api.image_release)(i));
        if let Some(f) = failure(&decoded) {
            return Err(f);
        }
        if image.0.is_null() {
            return Err(HeifFailure::Damaged);
        }
        let w = (api.image_width)(image.0, CHANNEL_INTERLEAVED);
        let h = (api.image_height)(image.0, CHANNEL_INTERLEAVED);
        let mut stride: c_int = 0;
        let plane = (api.plane)(image.0, CHANNEL_INTERLEAVED, &mut stride);
        let (Ok(w), Ok(h), Ok(stride)) = (usize::try_from(w), usize::try_from(h), usize::try_from(stride))
        else {
            return Err(HeifFailure::Damaged);
        };
        let row = w.checked_mul(3).ok_or(HeifFailure::Damaged)?;
        if plane.is_null() || w == 0 || h == 0 || stride < row {
            return Err(HeifFailure::Damaged);
        }
        let mut rgb = Vec::with_capacity(row * h);
        for y in 0..h {
            rgb.extend_from_slice(std::slice::from_raw_parts(plane.add(y * stride), row));
        }
        Ok(Decoded { width: w as u32, height: h as u32, rgb })
    }
}
