// The service's capabilities, each in its folder (../shared/docs/CONVENTIONS.md): visible to one another, as one
// project's folders are, without a using in every file.
global using Antq.Classification.Api.Evaluations;
global using Antq.Classification.Api.ScoreSheets;
global using Antq.Classification.Api.Targets;
global using Antq.Classification.Api.Units;
