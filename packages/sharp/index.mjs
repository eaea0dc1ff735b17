import sharp from './index.js'

export default sharp
