import pixelpool from './index.js'

export const { createQueue, Queue, PixelpoolError, errorCodes, gatsbyJobToJob } = pixelpool
export default pixelpool
