export const PACKAGE_NAME = '@samhandling/apprec';
