import pixelpool from './index.js'

export const { createQueue, Queue, PixelpoolError, errorCodes } = pixelpool
export default pixelpool
