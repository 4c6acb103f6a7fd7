namespace Brightline.Filtering;
