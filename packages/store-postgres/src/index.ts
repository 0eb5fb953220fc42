export const PACKAGE_NAME = '@samhandling/store-postgres';
