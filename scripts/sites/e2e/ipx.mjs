// ipx 3 (Nuxt Image's engine): createIPX over the photos' folder, served by its Node
// server; a few modifiers requested over HTTP.
import { ipxTool } from './common.mjs'

export const dependencies = { ipx: '^3.1.1' }

export const { files, run } = ipxTool('createIPXNodeServer', ['w_320/{name}', 'w_640,f_webp/{name}', 's_200x200,f_avif/{name}', 'w_300,q_60,f_jpeg/{name}', 'w_400,blur_5,grayscale/{name}'])
