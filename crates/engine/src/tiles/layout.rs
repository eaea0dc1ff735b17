//! Where each layout puts its tiles and what it writes beside them, as libvips' dzsave
//! names them (Deep Zoom, Google Maps, Zoomify, IIIF Image API 2 and 3).
use crate::spec_tiles::{TileLayout, TileSettings};

/// A tile's place: its level (0 the smallest), column and row, and the pixels it covers
/// at full size (IIIF names tiles by them).
pub(super) struct TilePlace {
    pub level: u32,
    pub column: u32,
    pub row: u32,
    /// Tiles in the levels smaller than this one (Zoomify groups tiles 256 at a time).
    pub tiles_before: u64,
    pub tiles_across: u32,
    pub full_region: [u32; 4],
    /// The full-size level's size: a region of all of it is IIIF's `full`.
    pub full_width: u32,
    pub full_height: u32,
    pub width: u32,
    pub height: u32,
}

/// The file a tile is written to, relative to the folder the output's path is in.
pub(super) fn tile_path(settings: &TileSettings, extension: &str, place: &TilePlace) -> String {
    let base = &settings.basename;
    let TilePlace {
        level, column, row, ..
    } = *place;
    match settings.layout {
        TileLayout::Dz => format!("{base}_files/{level}/{column}_{row}.{extension}"),
        TileLayout::Google => format!("{base}/{level}/{row}/{column}.{extension}"),
        TileLayout::Zoomify => {
            let number =
                place.tiles_before + row as u64 * place.tiles_across as u64 + column as u64;
            format!(
                "{base}/TileGroup{}/{level}-{column}-{row}.{extension}",
                number / 256
            )
        }
        TileLayout::Iiif | TileLayout::Iiif3 => {
            let [left, top, width, height] = place.full_region;
            let region =
                if [left, top, width, height] == [0, 0, place.full_width, place.full_height] {
                    "full".to_string()
                } else {
                    format!("{left},{top},{width},{height}")
                };
            let size = if settings.layout == TileLayout::Iiif {
                format!("{},", place.width)
            } else {
                format!("{},{}", place.width, place.height)
            };
            format!("{base}/{region}/{size}/0/default.{extension}")
        }
    }
}

/// What the pyramid is, for a viewer: the full size, the tiles, the levels.
pub(super) struct Summary<'a> {
    pub settings: &'a TileSettings,
    pub extension: &'a str,
    pub width: u32,
    pub height: u32,
    /// Each level's `scale`, the full-size one first.
    pub scales: Vec<u32>,
    pub tiles_written: usize,
}

/// The layout's description file and its path, if it has one (Google's is `blank.png`,
/// written by the caller since it is an image).
pub(super) fn description(summary: &Summary<'_>) -> Option<(String, Vec<u8>)> {
    let settings = summary.settings;
    let base = &settings.basename;
    let (width, height, size) = (summary.width, summary.height, settings.size);
    match settings.layout {
        TileLayout::Dz => {
            let text = format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
                 <Image xmlns=\"http://schemas.microsoft.com/deepzoom/2008\"\n  \
                 Format=\"{}\"\n  Overlap=\"{}\"\n  TileSize=\"{size}\"\n  >\n  \
                 <Size \n    Height=\"{height}\"\n    Width=\"{width}\"\n  />\n</Image>\n",
                summary.extension, settings.overlap
            );
            Some((format!("{base}.dzi"), text.into_bytes()))
        }
        TileLayout::Zoomify => {
            let text = format!(
                "<IMAGE_PROPERTIES WIDTH=\"{width}\" HEIGHT=\"{height}\" NUMTILES=\"{}\" \
                 NUMIMAGES=\"1\" VERSION=\"1.8\" TILESIZE=\"{size}\" />\n",
                summary.tiles_written
            );
            Some((format!("{base}/ImageProperties.xml"), text.into_bytes()))
        }
        TileLayout::Iiif | TileLayout::Iiif3 => {
            Some((format!("{base}/info.json"), iiif_info(summary).into_bytes()))
        }
        TileLayout::Google => None,
    }
}

/// The IIIF `info.json` of a level 0 (static files) image service, laid out as libvips
/// writes it.
fn iiif_info(summary: &Summary<'_>) -> String {
    let settings = summary.settings;
    let id = serde_json::to_string(&format!("{}/{}", settings.id, settings.basename))
        .expect("a string is JSON");
    let header = if settings.layout == TileLayout::Iiif {
        format!(
            "  \"@context\": \"http://iiif.io/api/image/2/context.json\",\n  \"@id\": {id},\n  \
             \"profile\": [\n    \"http://iiif.io/api/image/2/level0.json\",\n    {{\n      \
             \"formats\": [\n        \"{}\"\n      ],\n      \"qualities\": [\n        \
             \"default\"\n      ]\n    }}\n  ],\n",
            summary.extension
        )
    } else {
        format!(
            "  \"@context\": \"http://iiif.io/api/image/3/context.json\",\n  \"id\": {id},\n  \
             \"type\": \"ImageService3\",\n  \"profile\": \"level0\",\n"
        )
    };
    let scales: Vec<String> = summary
        .scales
        .iter()
        .map(|scale| format!("        {scale}"))
        .collect();
    format!(
        "{{\n{header}  \"protocol\": \"http://iiif.io/api/image\",\n  \"tiles\": [\n    {{\n      \
         \"scaleFactors\": [\n{}\n      ],\n      \"width\": {}\n    }}\n  ],\n  \
         \"width\": {},\n  \"height\": {}\n}}\n",
        scales.join(",\n"),
        settings.size,
        summary.width,
        summary.height
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place() -> TilePlace {
        TilePlace {
            level: 3,
            column: 1,
            row: 2,
            tiles_before: 300,
            tiles_across: 4,
            full_region: [512, 1024, 512, 512],
            full_width: 2725,
            full_height: 2225,
            width: 256,
            height: 200,
        }
    }

    fn named(layout: TileLayout) -> String {
        let settings = TileSettings {
            layout,
            basename: "out".into(),
            ..TileSettings::default()
        };
        tile_path(&settings, "jpg", &place())
    }

    #[test]
    fn every_layout_names_tiles_as_libvips() {
        assert_eq!(named(TileLayout::Dz), "out_files/3/1_2.jpg");
        assert_eq!(named(TileLayout::Google), "out/3/2/1.jpg");
        // Tile number 300 + 2 * 4 + 1 = 309 is in the second group of 256.
        assert_eq!(named(TileLayout::Zoomify), "out/TileGroup1/3-1-2.jpg");
        assert_eq!(
            named(TileLayout::Iiif),
            "out/512,1024,512,512/256,/0/default.jpg"
        );
        assert_eq!(
            named(TileLayout::Iiif3),
            "out/512,1024,512,512/256,200/0/default.jpg"
        );
    }

    #[test]
    fn a_iiif_tile_of_the_whole_image_is_its_full_region() {
        let settings = TileSettings {
            layout: TileLayout::Iiif,
            basename: "out".into(),
            ..TileSettings::default()
        };
        let whole = TilePlace {
            full_region: [0, 0, 2725, 2225],
            width: 171,
            ..place()
        };
        assert_eq!(
            tile_path(&settings, "jpg", &whole),
            "out/full/171,/0/default.jpg"
        );
    }
}
