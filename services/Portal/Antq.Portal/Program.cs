using Antq.Portal;
using Antq.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPortalServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapPortal();

app.Run();
