// UCI Online Retail (Chen, Sain & Guo 2012): one CSV row per invoice line of a UK online gift
// shop, 2010-2011, plain or .xz:
//   InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
// Mapping:
//   - a line with a positive quantity is a "purchase" event (value = quantity); a negative
//     quantity or a 'C' (cancelled) invoice is a "return" event (value = |quantity|);
//   - session_id = the invoice; event_id = "<invoice>#<n>" (n-th line of the invoice in the
//     file), so importing the file again adds nothing;
//   - the stock code is the item: title = Description ("nan" = missing), price = the last
//     UnitPrice seen, currency GBP;
//   - CustomerID is the user ("17850"; "17850.0" accepted); a missing customer becomes the
//     anonymous user "guest:<invoice>"; Country is a user attribute.
// Rejected: zero or negative unit prices (stock adjustments, bad-debt entries), zero
// quantities, bad dates and numbers.
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "common/csv_reader.h"
#include "common/parse_number.h"
#include "data/importers/csv_header.h"
#include "data/importers/format_importers.h"

namespace tailor {

Status ImportOnlineRetail(const std::string& path, ImportContext& context) {
  ASSIGN_OR_RETURN(std::unique_ptr<LineReader> lines, context.OpenFile(path));
  CsvReader csv(*lines);
  ASSIGN_OR_RETURN(CsvHeader header, CsvHeader::Read(csv));
  RETURN_IF_ERROR(header.Require({"invoiceno", "stockcode", "description", "quantity",
                                  "invoicedate", "unitprice", "customerid", "country"}));
  const int invoice_col = header.Find("invoiceno");
  const int stock_col = header.Find("stockcode");
  const int description_col = header.Find("description");
  const int quantity_col = header.Find("quantity");
  const int date_col = header.Find("invoicedate");
  const int price_col = header.Find("unitprice");
  const int customer_col = header.Find("customerid");
  const int country_col = header.Find("country");

  std::unordered_map<std::string, size_t> item_rows;  // stock code -> index in batch.items
  std::unordered_map<std::string, size_t> user_rows;  // user id -> index in batch.users
  std::unordered_map<std::string, int64_t> invoice_lines;
  std::vector<Event>& events = context.batch().events;
  // About 87 bytes per row, 6 when xz-compressed.
  events.reserve(static_cast<size_t>(lines->file_size() / (lines->compressed() ? 6 : 87)));
  while (csv.Next()) {
    context.CountRow(*lines);
    RowCheck check(context, csv.line(), csv.raw());
    ASSIGN_OR_RETURN(bool shaped, CheckRecordShape(csv, header.size(), check));
    if (!shaped) continue;
    std::string invoice;
    if (!check.Id("InvoiceNo", Cell(csv, invoice_col), &invoice)) continue;
    // Numbered before the row is checked, so ids stay the same when a row is fixed later.
    const int64_t invoice_line = ++invoice_lines[invoice];
    Event event;
    double quantity = 0;
    double price = 0;
    std::string description;
    std::string country;
    if (!check.Id("StockCode", Cell(csv, stock_col), &event.item_id) ||
        !check.Number("Quantity", Cell(csv, quantity_col), &quantity) ||
        !check.Timestamp("InvoiceDate", Cell(csv, date_col), &event.timestamp) ||
        !check.Number("UnitPrice", Cell(csv, price_col), &price) ||
        !check.Text("Description", Cell(csv, description_col), &description) ||
        !check.Text("Country", Cell(csv, country_col), &country)) {
      continue;
    }
    if (price <= 0) {
      check.Fail("UnitPrice", "must be > 0 ('" + std::string(Cell(csv, price_col)) +
                                  "'; zero and negative prices are stock adjustments)");
      continue;
    }
    if (quantity == 0) {
      check.Fail("Quantity", "must not be 0");
      continue;
    }
    std::string_view customer = Cell(csv, customer_col);
    if (customer.size() > 2 && customer.substr(customer.size() - 2) == ".0") {
      customer.remove_suffix(2);
    }
    if (customer.empty()) {
      event.user_id = "guest:" + invoice;
    } else if (!check.Id("CustomerID", customer, &event.user_id)) {
      continue;
    }
    const bool is_return = quantity < 0 || invoice.front() == 'C' || invoice.front() == 'c';
    event.type = is_return ? "return" : "purchase";
    event.value = quantity < 0 ? -quantity : quantity;
    event.session_id = invoice;
    event.event_id = invoice + "#" + std::to_string(invoice_line);

    const auto [item_row, new_item] = item_rows.try_emplace(event.item_id, 0);
    if (new_item) {
      item_row->second = context.batch().items.size();
      Item item;
      item.id = event.item_id;
      item.currency = "GBP";
      context.AddItem(std::move(item));
    }
    Item& item = context.batch().items[item_row->second];
    item.price = price;
    const std::string_view title = TrimSpaces(description);
    if (!title.empty() && title != "nan") item.title = std::string(title);

    const auto [user_row, new_user] = user_rows.try_emplace(event.user_id, 0);
    if (new_user) {
      user_row->second = context.batch().users.size();
      context.batch().users.push_back(User{event.user_id, "{}"});
    }
    if (!country.empty()) {
      context.batch().users[user_row->second].attributes_json =
          nlohmann::json{{"country", country}}.dump();
    }
    events.push_back(std::move(event));
  }
  RETURN_IF_ERROR(csv.status());
  context.ReportProgress(*lines);
  return OkStatus();
}

}  // namespace tailor
