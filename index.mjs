import pixelpool from './index.js'

export const { createQueue, Queue, PixelpoolError, errorCodes, gatsbyJobToJob, joinInputs } = pixelpool
export default pixelpool
