/**
 * @samhandling/node-app: the shared application layer of the reference apps (apps/kommune,
 * apps/sthf): configuration, REST API with OpenAPI, web UI, webhooks, metrics and logs over the
 * engine's `MessagingNode`. Private to this repository (see docs/adr/0012-reference-apps.md).
 */

export { APP_ERROR_CODES, AppError, isAppError } from './errors';
export type { AppErrorCode, ConfigIssue } from './errors';
export { loadConfig, readSecret, validateConfig } from './config';
export type { AppConfig, CredentialConfig, NodeRole, PartnerConfig, PolicyConfig, SecretRef, SmtpConfig, StoreConfig, WebhookConfig } from './config';
export { ROLES, SessionStore, actorOf, authenticateToken, can, createToken, hashToken, parseTokenFile } from './auth';
export type { Permission, Principal, Role, Session, TokenEntry } from './auth';
export { createLogger, maskPersonIds } from './logger';
export type { LogFields, LogLevel, LogValue, Logger, LoggerOptions } from './logger';
export { AppCounters, RECEIPT_LATENCY_BUCKETS_S, renderMetrics } from './metrics';
export { openApiDocument } from './openapi';
export { WebhookDispatcher, signWebhook } from './webhooks';
export type { ResolvedWebhook, WebhookDispatcherOptions } from './webhooks';
export { APP_VERSION, createApp } from './server';
export type { App, CreateAppOptions } from './server';
export { engineConfigOf, engineFactory, main, openApp, runApp } from './run';
export type { EngineConfig, LoadedCredential, NodeFactory, OpenAppOptions, OpenedApp, RunAppOptions } from './run';
export { DEMO_PARTIES, freePort, prepareDemo } from './demo';
export type { DemoSetup, DemoTokens, PrepareDemoOptions } from './demo';
export { runTokenCli } from './token-cli';
