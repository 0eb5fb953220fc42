export const PACKAGE_NAME = '@samhandling/cms';
