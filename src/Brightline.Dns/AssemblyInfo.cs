namespace Brightline.Dns;
