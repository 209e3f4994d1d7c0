using Antq.Notification.Api;
using Antq.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddNotificationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapNotificationApi();

app.Run();
