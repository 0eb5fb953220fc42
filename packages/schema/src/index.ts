export const PACKAGE_NAME = '@samhandling/schema';
