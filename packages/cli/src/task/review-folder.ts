/** The folder of the data folder where `faust run` keeps each task's built review view. */
export const REVIEW_FOLDER = 'review'
