export { createReservationService, reservationId, type ReservationService, type HoldResult } from './service';
