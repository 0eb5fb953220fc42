export const PACKAGE_NAME = '@samhandling/cli';
