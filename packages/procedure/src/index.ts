export const PACKAGE_NAME = '@samhandling/procedure';
