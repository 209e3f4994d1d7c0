// The service's capabilities, each in its folder (../shared/docs/CONVENTIONS.md): visible to one another, as one
// project's folders are, without a using in every file. Domain.Units is the namespace the unit-file readers
// (Units/CsvUnitParser, DvhcFileParser, UnitFile) keep until the plan-reader hardening work that edits them has landed.
global using Antq.Plan.Api.Deadlines;
global using Antq.Plan.Api.Domain.Units;
global using Antq.Plan.Api.Lineage;
global using Antq.Plan.Api.Plans;
global using Antq.Plan.Api.Units;
