//! Where an XMP packet travels in each container (XMP specification, part 3): one place
//! for the readers in describe/ and the writers in encode/.

/// What starts a JPEG APP1 segment that holds XMP.
pub const JPEG_SIGNATURE: &[u8] = b"http://ns.adobe.com/xap/1.0/\0";
/// The keyword of the PNG text chunk that holds XMP (libvips writes it compressed).
pub const PNG_KEYWORD: &str = "XML:com.adobe.xmp";
/// The WebP RIFF chunk that holds XMP.
pub const WEBP_CHUNK: &[u8; 4] = b"XMP ";
