export {
  createGroupBuyingService,
  GROUP_BUYING_SWEEP_JOB,
  type GroupBuyingService,
  type GroupMemberOrders,
  type LineAnswer,
} from './service';
export {
  MAX_GROUP_SIZE,
  MAX_TIME_LIMIT_MINUTES,
  MIN_GROUP_SIZE,
  MIN_TIME_LIMIT_MINUTES,
  type GroupDeal,
  type GroupDealInput,
  type GroupLine,
  type GroupProgress,
  type GroupSeat,
  type GroupStatus,
  type GroupView,
  type SeatAnswer,
} from './types';
