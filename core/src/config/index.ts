export { loadConfig, ConfigError, type Config, type Env } from './config';
