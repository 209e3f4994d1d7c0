using Antq.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddReportingServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapReportingApi();

app.Run();
