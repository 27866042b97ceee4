// See csv_reader.hpp. One pass over the text with a small state machine; line numbers count
// every line break, those inside quoted cells too, so later records keep their real lines.
#include "handlers/csv_reader.hpp"

#include <utility>

namespace bense::handlers {
namespace {

class CsvSplitter {
public:
    explicit CsvSplitter(std::string_view text) : text_(text) { record_.line = 1; }

    CsvTable run() && {
        while (pos_ < text_.size()) {
            if (in_quotes_) {
                quoted_step();
            } else {
                plain_step();
            }
        }
        if (in_quotes_) {
            table_.unterminated_line = record_.line;
        } else if (pos_ > record_start_) {
            end_record();
        }
        return std::move(table_);
    }

private:
    // 2 for CRLF, 1 for a lone CR or LF, 0 when no line break starts at `pos`.
    std::size_t line_break_at(std::size_t pos) const {
        if (text_[pos] == '\n') {
            return 1;
        }
        if (text_[pos] == '\r') {
            return pos + 1 < text_.size() && text_[pos + 1] == '\n' ? 2 : 1;
        }
        return 0;
    }

    bool only_blanks_so_far() const { return cell_.find_first_not_of(" \t") == std::string::npos; }

    void quoted_step() {
        char const c = text_[pos_];
        if (c == '"') {
            bool const doubled = pos_ + 1 < text_.size() && text_[pos_ + 1] == '"';
            if (doubled) {
                cell_.push_back('"');
            } else {
                in_quotes_ = false;
            }
            pos_ += doubled ? 2 : 1;
            return;
        }
        if (std::size_t const n = line_break_at(pos_); n > 0) {
            cell_.append(text_.substr(pos_, n));
            ++line_;
            pos_ += n;
            return;
        }
        cell_.push_back(c);
        ++pos_;
    }

    void plain_step() {
        char const c = text_[pos_];
        if (std::size_t const n = line_break_at(pos_); n > 0) {
            end_record();
            ++line_;
            pos_ += n;
            record_start_ = pos_;
            record_.line = line_;
            return;
        }
        if (c == ',') {
            end_cell();
        } else if (c == '"' && !was_quoted_ && only_blanks_so_far()) {
            cell_.clear();
            in_quotes_ = true;
            was_quoted_ = true;
        } else {
            cell_.push_back(c);
        }
        ++pos_;
    }

    void end_cell() {
        record_.cells.push_back(std::move(cell_));
        cell_.clear();
        was_quoted_ = false;
    }

    void end_record() {
        end_cell();
        table_.records.push_back(std::move(record_));
        record_ = CsvRecord{};
    }

    std::string_view text_;
    std::size_t pos_ = 0;
    std::size_t line_ = 1;
    std::size_t record_start_ = 0;  // where the current record's first byte is
    bool in_quotes_ = false;
    bool was_quoted_ = false;  // the current cell has had its opening quote
    std::string cell_;
    CsvRecord record_;
    CsvTable table_;
};

}  // namespace

CsvTable read_csv(std::string_view text) { return CsvSplitter(text).run(); }

}  // namespace bense::handlers
