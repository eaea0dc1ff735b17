//! The encoder settings the size sweep asks both sides for.
use pixelpool_engine::Encoding;

/// The encoder settings of the sweep's outputs: q80 and every other option at its default
/// (lib/validate.js).
pub fn sweep_encoding(format: &str) -> Result<Encoding, String> {
    match format {
        "jpeg" => Ok(Encoding::Jpeg {
            quality: 80,
            progressive: false,
            chroma_subsampling: pixelpool_engine::ChromaSubsampling::Half,
            optimise_coding: true,
        }),
        "webp" => Ok(Encoding::webp(80, false)),
        other => Err(format!("no sweep encoding for format '{other}'")),
    }
}
