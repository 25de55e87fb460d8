export {
  createLedger,
  type Ledger,
  type LedgerEntry,
  type LedgerDecision,
  type AppendResult,
} from './ledger';
