export {
  defineFlow,
  refuse,
  FlowCompensationError,
  type Flow,
  type FlowDefinition,
  type FlowStep,
  type Refusal,
  type CompensationFailure,
} from './flow';
export { createFlows, type Flows } from './flows';
