export { trainHead, HEAD_LIMITS, type HeadTrainingSet } from './train.ts';
export { TrainedHead, type HeadTrainingSummary, type SaveHeadOptions } from './trained-head.ts';
