// ipx 4 (the engine @nuxt/image pins): its Node handler over the photos' folder; the
// modifiers that call sharp's further operations (opacity: ensureAlpha + a tiled dest-in
// composite, threshold, clahe) and a plain resize, requested over HTTP, compared by pixel.
import { describeWithPixels, ipxTool } from './common.mjs'

export const dependencies = { ipx: '4.0.0-beta.1' }

const requests = ['w_320/{name}', 'w_300,opacity_0.5,f_png/{name}', 'w_300,threshold_128/{name}', 'w_300,clahe_20_20/{name}', 'w_300,clahe_8_8_3,f_webp/{name}']

export const { files, run } = ipxTool('createIPXNodeHandler', requests, describeWithPixels)
