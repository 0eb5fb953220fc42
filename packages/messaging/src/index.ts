export const PACKAGE_NAME = '@samhandling/messaging';
