/** Accounts, sessions, API tokens, signed review links and the HTTP middleware that uses them. */
export * from './apiTokens';
export * from './keys';
export * from './middleware';
export * from './passwords';
export { linkStatus, reviewLinkMessages, reviewStatesOpenForResponse, signReviewLink, verifyReviewLink } from './reviewLinks';
export type { ReviewLinkPayload, ReviewLinkStatus, ReviewLinkVerification } from './reviewLinks';
export * from './roles';
export * from './sessionStore';
export { authenticate, createUser, createUserSchema, exportPersonalData, findActiveUser, loginThrottledMessage, removePersonalData, setPassword } from './users';
export { delaySeconds, loginThrottleRules, pruneLoginThrottles } from './loginThrottle';
export type { AuthenticateContext, AuthenticationResult, AuthUser, CreateUserInput, PersonalDataExport } from './users';
