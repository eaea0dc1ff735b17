import pixelpool from './index.js'

export const { createQueue, Queue, PixelpoolError, errorCodes, gatsbyJobToJob, joinInputs, textInput } = pixelpool
export default pixelpool
