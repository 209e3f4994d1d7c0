// The service's capabilities, each in its folder (../shared/docs/CONVENTIONS.md): visible to one another, as one
// project's folders are, without a using in every file.
global using Antq.Identity.Api.Audit;
global using Antq.Identity.Api.SignIn;
global using Antq.Identity.Api.Tokens;
global using Antq.Identity.Api.Users;
