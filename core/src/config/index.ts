export {
  loadConfig,
  ConfigError,
  type Config,
  type Env,
  type RateLimitBudget,
  type RateLimitedAction,
} from './config';
