export {
  createLedger,
  pruneLedgerRefs,
  type Ledger,
  type LedgerEntry,
  type LedgerDecision,
  type AppendResult,
} from './ledger';
