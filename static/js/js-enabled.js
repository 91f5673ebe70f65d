// GOV.UK Frontend styles some components differently once JavaScript runs; it needs these
// classes on <body> before first paint. Kept as a file (not inline) so a strict CSP can forbid inline scripts.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
