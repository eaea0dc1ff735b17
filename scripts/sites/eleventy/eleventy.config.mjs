// An Eleventy 3 site as its docs write one: eleventy-img's shortcode renders every photo
// at three widths in AVIF, WebP and JPEG (eleventy-img's own encoder defaults). With
// PIXELPOOL_SITE_NO_IMAGES=1 it renders none: the benchmark's build without image work;
// PIXELPOOL_SITE_FORMATS=webp,jpeg leaves AVIF out.
import Image from '@11ty/eleventy-img'

export default function (config) {
  config.addAsyncShortcode('photo', async (src) => {
    if (process.env.PIXELPOOL_SITE_NO_IMAGES === '1') return ''
    const metadata = await Image(src, {
      widths: [320, 640, 1280],
      formats: (process.env.PIXELPOOL_SITE_FORMATS ?? 'avif,webp,jpeg').split(','),
      outputDir: '_site/img/',
      urlPath: '/img/',
    })
    return Image.generateHTML(metadata, { alt: '', sizes: '100vw', loading: 'lazy', decoding: 'async' })
  })
}
