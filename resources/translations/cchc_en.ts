<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB" sourcelanguage="vi_VN">
<context>
    <name></name>
    <message>
        <source>Mật khẩu máy chủ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đăng nhập</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tên đăng nhập:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mật khẩu của {name}:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cơ sở dữ liệu dùng chung này yêu cầu đăng nhập.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không mở được cơ sở dữ liệu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nhập báo cáo của đơn vị cấp dưới</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Nhập báo cáo {period} gửi {unit}&lt;/b&gt; — {n} tệp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%v/%m tệp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dừng</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Xem và quyết định…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tệp chờ quyết định: xem các ô bị sửa trong Excel, chọn số cần giữ.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vẫn dùng bản này</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tệp bị bỏ qua vì là bản cũ hơn: dùng nó thay bản đã nhập.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chấp nhận</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chấp nhận báo cáo vừa nhập (được tính khi tổng hợp); bản Nháp hoặc báo cáo có lỗi cần ghi chú lý do.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trả lại…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trả lại báo cáo kèm lý do; thông báo gửi đơn vị được chép sẵn.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lưu kết quả…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đóng</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đang nhập…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dừng nhập: chưa tệp nào được ghi vào cơ sở dữ liệu.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã dừng. Chưa nhập tệp nào: cơ sở dữ liệu không thay đổi.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chưa nhập được: {m}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> Báo cáo vừa nhập chờ xem xét: chọn từng dòng rồi bấm “Chấp nhận” hoặc “Trả lại…”; chỉ báo cáo đã chấp nhận được tổng hợp.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> Chọn từng tệp “Chờ quyết định” rồi bấm “Xem và quyết định…”; tệp chưa quyết định khi đóng hộp thoại sẽ được ghi là từ chối.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dùng bản cũ hơn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tệp “{name}” được xuất trước bản đã nhập. Vẫn dùng tệp này thay cho bản đã nhập?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lưu kết quả nhập</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bảng tính Excel (*.xlsx);;Tệp CSV (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quyết định nhận tệp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;{file}&lt;/b&gt; — {unit}, {period}, xuất lúc {when}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nhận báo cáo của {unit} dù không phải đơn vị trực thuộc {parent}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Các ô bị sửa trong Excel sau khi xuất. Đánh dấu “Giữ số trong tệp” để nhận số đang có trong tệp; bỏ đánh dấu để giữ số lúc xuất.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nhập với lựa chọn này</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không nhận tệp này</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Để sau</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nhập biểu điền tay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đơn vị của biểu:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} ({code}) — ngoài danh sách trực thuộc</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>   Kỳ báo cáo: &lt;b&gt;{p}&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đơn vị đoán từ {source}: {name} — kiểm tra trước khi xác nhận.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không đoán được đơn vị từ tiêu đề hay tên tệp: hãy chọn đơn vị.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lưu ý: tiêu đề của biểu ghi kỳ {p}, khác kỳ đang tổng hợp.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dòng khớp ({n})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không khớp, lỗi ({n})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Biểu có đủ các chỉ tiêu của biểu mẫu.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thiếu trong tệp ({n})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Xác nhận nhập</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hủy</source>
        <translation type="unfinished">Cancel</translation>
    </message>
    <message>
        <source>Có ô số liệu không đọc được: sửa trong tệp rồi nhập lại.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chưa chọn đơn vị</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hãy chọn đơn vị của biểu trước khi nhập.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đơn vị ngoài danh sách</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đơn vị đã chọn không phải đơn vị trực thuộc trong kỳ này. Vẫn nhận báo cáo của đơn vị này?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chưa nhập được</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nguồn số liệu tổng hợp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;{code} {name}: {value}&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(trống)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tài liệu đơn vị gửi kèm báo cáo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mở tệp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không mở được tệp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không tìm thấy tệp “{name}” hoặc tệp đã bị thay đổi sau khi nhận.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> — {who}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>. Chỉ báo cáo đã chấp nhận được tổng hợp: chọn dòng rồi bấm “Chấp nhận” hoặc “Trả lại…”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thời điểm đơn vị xuất tệp (ghi trong tệp); so với hạn {due}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (bản mới)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> — bản Nháp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lý do trả lại: {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ghi chú khi chấp nhận: {note}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bản mới chờ xem xét lại; {previous}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã có bản mới hơn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chứng thư số: {c}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thời điểm ký: {t}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nhận trong gói “{p}”; SHA-256 {h}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Số do người dùng nhập, khác số tổng hợp ({computed}). Bấm “Tổng hợp số liệu” và chọn dùng số tổng hợp nếu muốn thay.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>. Bấm đúp để xem các đơn vị.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã xuất báo cáo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã lưu tệp “{name}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thư mục: {folder}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mở thư mục</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đang xuất báo cáo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không xuất được báo cáo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chỉ nhận báo cáo có chữ ký số hợp lệ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bật: báo cáo chưa ký số, hoặc ký bằng chứng thư không thuộc danh sách dưới đây, bị từ chối khi nhập. Tắt: vẫn nhận nhưng ghi rõ “chưa ký số”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chữ ký số của báo cáo cấp dưới gửi lên được kiểm tra ngay trên máy, không cần mạng: chứng thư số của người ký phải do một trong các chứng thư dưới đây cấp (thường là chứng thư gốc của tổ chức cung cấp dịch vụ chứng thực chữ ký số) và còn hiệu lực khi ký. Có thể nhập thêm danh sách thu hồi (.crl) do tổ chức đó công bố.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nhập chứng thư tin cậy…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bỏ chứng thư đã chọn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chọn đơn vị.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Chữ ký số khi {unit} nhận báo cáo của đơn vị cấp dưới&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chọn chứng thư số tin cậy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chứng thư số (*.cer *.crt *.pem *.der);;Danh sách thu hồi (*.crl);;Mọi tệp (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không nhập được chứng thư</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chứng thư tin cậy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chứng thư này đã có trong danh sách.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bỏ “{who}” khỏi danh sách tin cậy? Báo cáo ký bằng chứng thư do nó cấp sẽ không còn được xác nhận.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bỏ chứng thư tin cậy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Các phần thuyết minh sau do anh/chị tự viết, nhưng số liệu đã thay đổi sau khi viết:

{names}

Báo cáo sẽ in đúng nội dung anh/chị đã viết. Vẫn tiếp tục?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nội dung thuyết minh cần xem lại</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vẫn {action}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Xem lại nội dung</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Các phần thuyết minh sau chưa có nội dung, báo cáo sẽ chỉ in đề mục:

{names}

Vẫn tiếp tục?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phần thuyết minh còn trống</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Viết các phần này</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trả lại báo cáo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chấp nhận báo cáo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;{unit}&lt;/b&gt; ({code}) — báo cáo {period}&lt;br&gt;{source}{draft}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, &lt;b&gt;bản Nháp&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Xem xét hiện tại: {state}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Kiểm tra số liệu:&lt;/b&gt; {s}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không có lỗi hay cảnh báo nào.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lý do trả lại (bắt buộc; được gửi kèm thông báo cho đơn vị và ghi vào nhật ký):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ví dụ: Chỉ tiêu 1.1.2 lớn hơn 1.1.1; đề nghị kiểm tra lại số nhiệm vụ hoàn thành</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Báo cáo {why}: chỉ chấp nhận được khi ghi chú lý do chấp nhận (bắt buộc):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ví dụ: Đã gọi điện xác nhận với đơn vị, số liệu đúng; bản chính thức gửi sau</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ghi chú khi chấp nhận (không bắt buộc):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thông báo gửi đơn vị (được chép vào bộ nhớ tạm để dán vào thư, tin nhắn):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trả lại và chép thông báo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chưa xem xét được</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chưa chấp nhận được</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã chấp nhận báo cáo của {unit}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã trả lại báo cáo của {unit}; thông báo trả lại đã được chép, hãy dán vào thư hoặc tin nhắn gửi đơn vị.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã chấp nhận báo cáo của {unit} (có ghi chú).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã chép thông báo trả lại báo cáo của {unit}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lưu thông báo trả lại</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tệp văn bản (*.txt)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã lưu thông báo trả lại: {path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ký số</source>
        <translation type="unfinished">Sign</translation>
    </message>
    <message>
        <source>Ký số {what} bằng chứng thư số của đơn vị. Mã PIN chỉ dùng cho lần ký này, không được lưu lại.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>báo cáo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tệp chứng thư số (.p12, .pfx)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thiết bị ký số (USB token)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chọn tệp .p12 hoặc .pfx</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chọn tệp…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thư viện PKCS#11 của thiết bị, ví dụ C:\Windows\System32\…csp11.dll</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Để trống nếu chỉ cắm một thiết bị</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Để trống để dùng khóa đầu tiên trên thiết bị</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tệp chứng thư số:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thư viện của thiết bị:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nhãn thiết bị:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nhãn khóa ký:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mã PIN:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ký và xuất</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chọn tệp chứng thư số</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chứng thư số (*.p12 *.pfx);;Mọi tệp (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chọn thư viện PKCS#11 của thiết bị</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hãy chọn tệp chứng thư số (.p12 hoặc .pfx).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hãy chọn thư viện PKCS#11 của thiết bị ký số.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hãy nhập mã PIN.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Xin chờ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không thực hiện được</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AuditDialog</name>
    <message>
        <source>Nhật ký trống.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đóng</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(trống)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChartPanel</name>
    <message>
        <source>Sao chép hình</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chép biểu đồ dạng hình ảnh để dán vào Word, Excel (Ctrl+C)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lưu ảnh PNG…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lưu biểu đồ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ảnh PNG (*.png)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không lưu được</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không ghi được tệp ảnh; hãy chọn thư mục khác.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã lưu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã lưu biểu đồ: {0}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChartsDialog</name>
    <message>
        <source>Biểu đồ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chỉ tiêu:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nhiệm vụ theo lĩnh vực</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hoàn thành qua các kỳ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chỉ tiêu qua các kỳ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nhận báo cáo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Các đơn vị trực thuộc</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đóng</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ComparisonDialog</name>
    <message>
        <source>So sánh số liệu các kỳ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Xuất Excel…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đóng</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>So sánh:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>STT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chỉ tiêu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đơn vị tính</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{unit}: {n} kỳ, {m} chỉ tiêu có số liệu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{unit}: chưa có báo cáo nào để so sánh.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Xuất bảng so sánh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Excel (*.xlsx)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không xuất được</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không ghi được tệp “{0}”: tệp có thể đang mở trong Excel, hoặc thư mục không cho ghi. Hãy đóng tệp hoặc chọn thư mục khác.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã xuất</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã lưu bảng so sánh: {0}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConsolidationPage</name>
    <message>
        <source>&lt;b&gt;Tổng hợp báo cáo của các đơn vị trực thuộc&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nhập báo cáo…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chọn một hoặc nhiều tệp Excel báo cáo do đơn vị gửi lên</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nhập cả thư mục…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nhập biểu điền tay…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Biểu mẫu Excel do đơn vị không dùng chương trình tự điền</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gửi biểu mẫu trống…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lập biểu mẫu trống (Excel) của kỳ này cho các đơn vị chưa gửi báo cáo (hoặc đơn vị đang chọn), để đơn vị chưa dùng chương trình điền tay rồi gửi lại; nhập lại bằng “Nhập biểu điền tay…”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tài liệu đơn vị gửi kèm…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Báo cáo PDF đã ký và tài liệu kiểm chứng đơn vị gửi trong gói báo cáo (.zip)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sao chép danh sách chưa gửi</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chép danh sách đơn vị chưa gửi báo cáo để dán vào văn bản nhắc</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tổng hợp số liệu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tổng hợp báo cáo đã nhận thành báo cáo của đơn vị (chạy lại được khi có báo cáo mới)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Có thể kéo thả tệp hoặc thư mục báo cáo vào màn hình này để nhập.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Xem xét báo cáo đang chọn: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chấp nhận</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chấp nhận báo cáo của đơn vị đang chọn: báo cáo được tính khi tổng hợp. Bản Nháp hoặc báo cáo có lỗi cần ghi chú lý do.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trả lại…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trả lại báo cáo kèm lý do; thông báo gửi đơn vị được chép sẵn.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chép thông báo trả lại</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chấp nhận các báo cáo hợp lệ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chấp nhận mọi báo cáo đang chờ xem xét không phải bản Nháp và không có lỗi; các báo cáo còn lại cần xem riêng.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Xem các đơn vị của số liệu…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tình hình nhận báo cáo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Số liệu tổng hợp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chọn đơn vị và kỳ báo cáo.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chưa tổng hợp kỳ này. Bấm “Tổng hợp số liệu” sau khi nhập báo cáo của các đơn vị.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Báo cáo của đơn vị kỳ này được nhập trực tiếp (chưa tổng hợp). Trạng thái: {s}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Báo cáo tổng hợp — trạng thái: {s}. Bấm đúp vào một số liệu để xem các đơn vị và tệp tạo nên nó.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> Có thể sửa số liệu trước khi hoàn thành và xuất báo cáo.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> Không tính vào số tổng hợp: {left}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> Có thay đổi sau lần tổng hợp trước ({names}): bấm “Tổng hợp số liệu” để cập nhật.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> {n} số liệu nhập tay khác số tổng hợp (tô vàng).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chọn tệp báo cáo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Báo cáo (*.xlsx *.xlsm *.xls *.zip);;Bảng tính Excel (*.xlsx *.xlsm *.xls);;Gói báo cáo (*.zip)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chọn thư mục chứa báo cáo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không nhập được</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không có tệp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không tìm thấy tệp Excel nào để nhập.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>các đơn vị trực thuộc</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Tài liệu {who} gửi kèm báo cáo {period}&lt;/b&gt; — {n} tệp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>. Chỉ gói báo cáo (.zip) mang theo tài liệu; tệp Excel gửi riêng thì không.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gửi biểu mẫu trống</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Các đơn vị đã gửi đủ báo cáo kỳ này; chọn một đơn vị trong bảng để lập biểu mẫu trống cho đơn vị đó.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chọn thư mục lưu biểu mẫu trống cho {n} đơn vị</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã hủy: chưa lập biểu mẫu trống nào.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chưa lập được biểu mẫu trống</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã lập {n} biểu mẫu trống kỳ {period} trong thư mục {folder}: {names}. Gửi cho đơn vị điền vào cột “Số liệu”, rồi nhập lại bằng “Nhập biểu điền tay…”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chọn biểu mẫu điền tay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bảng tính Excel (*.xlsx *.xlsm)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không đọc được biểu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chấp nhận kèm ghi chú…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lưu thông báo trả lại (.txt)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đang kiểm tra và chấp nhận báo cáo…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Xem xét</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chưa chấp nhận được</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã chấp nhận {n} báo cáo.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> Còn {n} báo cáo cần xem riêng (bản Nháp hoặc có lỗi: cần ghi chú, hoặc trả lại): {names}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> Đã chép danh sách đơn vị chưa gửi.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đang tổng hợp số liệu…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tổng hợp</source>
        <translation type="unfinished">Consolidation</translation>
    </message>
    <message>
        <source>Chưa tổng hợp được</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đang lập biểu mẫu trống cho {n} đơn vị…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đang đọc biểu điền tay “{name}”…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nhập biểu điền tay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Số liệu nhập tay được giữ nguyên</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dùng số tổng hợp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Giữ số nhập tay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không sửa được</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Số liệu không hợp lệ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chọn số liệu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hãy chọn một dòng số liệu.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không xem được</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DateField</name>
    <message>
        <source>(chưa ghi)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Xóa</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bỏ trống ngày</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EvidenceDialog</name>
    <message>
        <source>Thêm tài liệu kiểm chứng</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ví dụ: Quyết định số 766/QĐ-UBND</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trích yếu nội dung văn bản</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(không đính kèm tệp)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chọn tệp…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Số, ký hiệu văn bản:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ngày văn bản:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trích yếu:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tệp đính kèm:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tệp được sao vào thư mục dữ liệu của chương trình; tệp gốc giữ nguyên.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thêm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hủy</source>
        <translation type="unfinished">Cancel</translation>
    </message>
    <message>
        <source>Chọn tệp tài liệu kiểm chứng</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Văn bản (*.pdf *.doc *.docx *.xls *.xlsx *.jpg *.jpeg *.png);;Mọi tệp (*)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HelpWindow</name>
    <message>
        <source>Hướng dẫn sử dụng</source>
        <translation type="unfinished">User guide</translation>
    </message>
    <message>
        <source>Đóng</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <source>Nhiệm vụ trong kế hoạch</source>
        <translation>Plan tasks</translation>
    </message>
    <message>
        <source>Báo cáo số liệu thống kê của đơn vị</source>
        <translation>The unit&apos;s statistical return</translation>
    </message>
    <message>
        <source>Tiếp nhận báo cáo của đơn vị trực thuộc</source>
        <translation>Returns from subordinate units</translation>
    </message>
    <message>
        <source>Bấm vào một dòng để mở màn hình tương ứng.</source>
        <translation>Click a line to open its screen.</translation>
    </message>
    <message>
        <source>Chọn đơn vị và kỳ báo cáo ở thanh trên cùng.</source>
        <translation>Choose a unit and a period at the top.</translation>
    </message>
    <message>
        <source>Đang tải số liệu của kỳ báo cáo…</source>
        <translation>Loading the period&apos;s figures…</translation>
    </message>
    <message>
        <source>Không tải được số liệu của Trang chủ.</source>
        <translation>The Home figures could not be loaded.</translation>
    </message>
    <message>
        <source>{unit} — {period}</source>
        <translation>{unit} — {period}</translation>
    </message>
</context>
<context>
    <name>IndexPage</name>
    <message>
        <source>Nộp bảng điểm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mở lại…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Xuất bảng điểm…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Xuất báo cáo PDF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nhập bộ tiêu chí…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nhận bảng điểm…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Xuất xếp hạng…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tự đánh giá, chấm điểm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thẩm định và xếp hạng</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chỉ số CCHC năm {y} — {u}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (đồng hạng)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chưa có bảng điểm: {u}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chọn bảng tiêu chí (phụ lục quyết định)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bảng tính Excel (*.xlsx)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đang đọc bảng tiêu chí “{name}”…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không nhập được bộ tiêu chí</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{a} lĩnh vực, {c} tiêu chí, {s} tiêu chí thành phần.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tổng điểm tối đa: {t}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bộ tiêu chí chưa đúng</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đang xuất xếp hạng…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nhập bộ tiêu chí</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lưu bộ tiêu chí này?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đang lưu bộ tiêu chí…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chưa nộp được</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mở lại bảng điểm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lý do mở lại:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không mở lại được</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Xuất bảng điểm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Xuất báo cáo tự đánh giá</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tệp PDF (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đang xuất báo cáo tự đánh giá…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chọn bảng điểm của đơn vị cấp dưới</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đang nhận {n} bảng điểm…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không nhận được</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kết quả nhận bảng điểm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đang xuất bảng điểm…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nhận bảng điểm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã hủy: chưa nhận bảng điểm nào.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Xuất xếp hạng</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bảng tính Excel (*.xlsx);;Tệp PDF (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Đơn vị</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>Kỳ báo cáo</source>
        <translation>Reporting period</translation>
    </message>
    <message>
        <source>Chọn đơn vị và kỳ</source>
        <translation>Choose unit and period</translation>
    </message>
    <message>
        <source> Đơn vị: </source>
        <translation> Unit: </translation>
    </message>
    <message>
        <source>   Kỳ báo cáo: </source>
        <translation>   Period: </translation>
    </message>
    <message>
        <source>Kế hoạch &amp; nhiệm vụ</source>
        <translation>Plans &amp; tasks</translation>
    </message>
    <message>
        <source>Báo cáo định kỳ</source>
        <translation>Periodic report</translation>
    </message>
    <message>
        <source>Tổng hợp</source>
        <translation>Consolidation</translation>
    </message>
    <message>
        <source>Trang chủ</source>
        <translation>Home</translation>
    </message>
    <message>
        <source>Cài đặt</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>Chỉ số CCHC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đang mở cơ sở dữ liệu…</source>
        <translation>Opening the database…</translation>
    </message>
    <message>
        <source>&amp;Tệp</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>Nhập kế hoạch từ Excel…</source>
        <translation>Import plan from Excel…</translation>
    </message>
    <message>
        <source>Sao lưu ngay</source>
        <translation>Back up now</translation>
    </message>
    <message>
        <source>Thoát</source>
        <translation>Exit</translation>
    </message>
    <message>
        <source>&amp;Xem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Biểu đồ…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>So sánh số liệu các kỳ…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chỉ tiêu kế hoạch…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Trợ giúp</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>Hướng dẫn sử dụng</source>
        <translation>User guide</translation>
    </message>
    <message>
        <source>Giới thiệu</source>
        <translation>About</translation>
    </message>
    <message>
        <source>Chỉ tiêu kế hoạch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đơn vị chưa có kế hoạch CCHC cho năm của kỳ đang chọn.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (hết hiệu lực {d})</source>
        <translation> (closed {d})</translation>
    </message>
    <message>
        <source>(Chưa có đơn vị — nhập danh mục đơn vị)</source>
        <translation>(No units yet — import the unit list)</translation>
    </message>
    <message>
        <source>Cơ sở dữ liệu: {path}</source>
        <translation>Database: {path}</translation>
    </message>
    <message>
        <source>Chưa có bản sao lưu</source>
        <translation>No backup yet</translation>
    </message>
    <message>
        <source>Sao lưu gần nhất: {d} {t}</source>
        <translation>Last backup: {d} {t}</translation>
    </message>
</context>
<context>
    <name>MappingSettingsSection</name>
    <message>
        <source>Xóa cách chọn cột đang chọn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chưa lưu cách chọn cột nào.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Cách chọn cột đã lưu&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Khi nhập kế hoạch hoặc biểu điền tay, cách chọn cột đã xác nhận được lưu theo dòng tiêu đề của bảng và tự dùng lại cho tệp sau có cùng dòng tiêu đề. Xóa để lần sau chọn lại.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loại</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dòng tiêu đề của bảng</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cột → nội dung</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lưu từ tệp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ngày lưu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã dùng</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} lần</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cách chọn cột đã lưu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hãy chọn một dòng để xóa.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Xóa cách chọn cột</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Xóa cách chọn cột đã lưu từ tệp “{f}”? Lần sau nhập bảng có dòng tiêu đề này sẽ phải chọn lại cột.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không xóa được</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NarrativeEditor</name>
    <message>
        <source>Soạn lại bản nháp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Soạn lại các câu tự động từ số liệu hiện tại. Nội dung anh/chị đã viết không bị thay đổi.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chương trình tự soạn các câu nêu số liệu (bản nháp). Anh/chị viết nội dung của từng phần ở ô dưới; nội dung được lưu tự động. Phần nào để trống thì báo cáo in bản nháp.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Số liệu đã thay đổi sau khi anh/chị viết phần này — hãy đối chiếu với bản nháp mới ở trên. Khi hoàn thành hoặc xuất báo cáo, chương trình sẽ hỏi lại về phần này.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Giữ nội dung đã viết</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nội dung đã viết vẫn đúng với số liệu hiện tại: bỏ đánh dấu “cần xem lại”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dùng bản nháp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chép bản nháp vào ô nội dung bên dưới để sửa tiếp.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chưa viết — khi in, báo cáo dùng bản nháp ở trên.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Bản nháp tự động&lt;/b&gt; (từ số liệu của báo cáo)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Nội dung anh/chị viết&lt;/b&gt; (được in vào báo cáo)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Báo cáo này không có phần thuyết minh.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>đã viết</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cần xem lại</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Có bản nháp tự động.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không có câu tự soạn.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Anh/chị đã viết nội dung riêng cho phần này.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Số liệu đã thay đổi sau khi anh/chị viết: hãy xem lại.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(Phần này không có câu tự soạn từ số liệu.)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Báo cáo đã hoàn thành: đây là nội dung đã khóa, đúng như bản in; chỉ xem.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã lưu lúc {t}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã xác nhận nội dung phần này với số liệu hiện tại.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thay nội dung anh/chị đã viết ở phần này bằng bản nháp?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thay bằng bản nháp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bản nháp đã khớp với số liệu hiện tại.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã soạn lại bản nháp ({n} phần thay đổi).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Giữ nguyên nội dung anh/chị đã viết ở {k} phần.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PlanImportDialog</name>
    <message>
        <source>Nhập kế hoạch từ Excel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chọn tệp…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tệp:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ví dụ: 751/QĐ-UBND</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kế hoạch của {unit}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tên kế hoạch:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Số, ký hiệu:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Năm:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>STT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nhiệm vụ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cơ quan chủ trì</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thời gian thực hiện</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hạn đọc được</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cột</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tiêu đề cột trong tệp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dùng làm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dòng</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nội dung</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ghi chú</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Các tên dưới đây có trong bảng nhưng chưa có trong danh mục đơn vị. Đánh dấu “Tạo mới” để thêm vào danh mục (là đơn vị trực thuộc {unit}); không đánh dấu thì tên được giữ nguyên như trong bảng, chưa gắn với đơn vị nào.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tên trong bảng</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tạo mới</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lĩnh vực và nhiệm vụ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cột của bảng</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cần xem lại</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đơn vị chưa có</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nhập</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hủy</source>
        <translation type="unfinished">Cancel</translation>
    </message>
    <message>
        <source>Tệp cần có bảng nhiệm vụ, với dòng tiêu đề gồm các cột như “STT”, “Nhiệm vụ”, “Cơ quan chủ trì”, “Cơ quan phối hợp”, “Thời gian thực hiện” (bảng dán từ văn bản Word/PDF của kế hoạch vào Excel).
Bấm “Chọn tệp…” để chọn tệp khác.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đang đọc bảng nhiệm vụ trong tệp “{name}”…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không đọc được tệp “{name}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã dừng đọc tệp. Chưa nhập gì.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chưa nhập gì vào cơ sở dữ liệu.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chọn tệp Excel (.xlsx) chứa bảng nhiệm vụ của kế hoạch.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chưa rõ một số cột của bảng — hãy chọn ở thẻ “Cột của bảng” (ô tô đỏ):
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không thấy nhiệm vụ nào dưới dòng tiêu đề. Kiểm tra lại cột “Nhiệm vụ” ở thẻ “Cột của bảng”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đọc được bảng. Có {n} dòng cần xem lại (thẻ “Cần xem lại”); vẫn có thể nhập, các dòng không xếp được sẽ không được nhập.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đọc được bảng. Kiểm tra lại rồi bấm “Nhập”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dùng cách chọn cột đã lưu khi nhập tệp “{f}” (bảng có cùng dòng tiêu đề); có thể chọn lại ở thẻ “Cột của bảng”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>giai đoạn {a}–{b} (theo dòng tiêu đề); năm ghi ở đây dùng để đọc thời hạn không ghi năm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>không thấy năm của kế hoạch trong tệp: hãy chọn năm đúng</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>theo dòng tiêu đề</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>đã chọn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{a} lĩnh vực · {t} nhiệm vụ · {h} hoạt động</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trang tính “{sheet}”, dòng tiêu đề {rows}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{area} — {n} nhiệm vụ ({nums})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(Chưa xếp lĩnh vực)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚑ chưa đọc được</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (+{n} hoạt động)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>— Chọn —</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field} (gợi ý)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cột {c}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> ({n} cần chọn)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dòng không xếp được (sẽ không được nhập)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>dòng {n}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thời hạn chưa đọc được (giữ nguyên chữ, cần người đọc lại)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ghi chú khi đọc bảng</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không có dòng nào cần xem lại.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không tạo ở đây (cơ quan cùng cấp hoặc cấp trên)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thêm cơ quan này vào đúng chỗ trong cây đơn vị: Cài đặt → Đơn vị.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tên chỉ nhóm đơn vị, giữ nguyên như trong bảng: {names}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thiếu tên kế hoạch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hãy nhập tên kế hoạch.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đang nhập {n} nhiệm vụ…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã hủy. Chưa nhập gì vào cơ sở dữ liệu.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không nhập được kế hoạch vì chương trình gặp lỗi ngoài dự kiến. Chưa nhập gì vào cơ sở dữ liệu.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chưa nhập kế hoạch</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PlanOverview</name>
    <message>
        <source>Lĩnh vực</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Số
nhiệm vụ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tỉ lệ
hoàn thành</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bấm vào một ô để xem các nhiệm vụ đó trong thẻ “Nhiệm vụ”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nhiệm vụ theo lĩnh vực và trạng thái</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nhiệm vụ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cơ quan chủ trì</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hạn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quá hạn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Còn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chỉ tiêu kế hoạch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chỉ tiêu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thực hiện</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đánh giá</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đơn vị chưa có kế hoạch CCHC nào cho năm {y}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{period}: số liệu xét đến ngày {d}. Trạng thái “quá hạn” do chương trình tự xác định từ thời hạn của nhiệm vụ. Bấm vào một dòng để xem nhiệm vụ.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nhiệm vụ quá hạn chưa hoàn thành ({n})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đến hạn trong 30 ngày tới ({n})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chỉ tiêu kế hoạch: đạt {met}/{n}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{area}: {n} nhiệm vụ {status}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tổng cộng</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} ngày</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>đến hạn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không có nhiệm vụ nào.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PlansPage</name>
    <message>
        <source>&lt;b&gt;Kế hoạch cải cách hành chính&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nhập kế hoạch từ Excel…</source>
        <translation type="unfinished">Import plan from Excel…</translation>
    </message>
    <message>
        <source>Số, ký hiệu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tên kế hoạch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Năm / giai đoạn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Số nhiệm vụ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lọc theo lĩnh vực</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lọc theo cơ quan chủ trì</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lọc theo trạng thái</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tất cả trạng thái</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quá hạn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đến hạn trong kỳ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nhiệm vụ có thời hạn nằm trong khoảng thời gian lấy số liệu của kỳ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tìm theo tên nhiệm vụ, STT, cơ quan…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bỏ lọc</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lọc:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tìm:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cập nhật tiến độ…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mở nhiệm vụ đang chọn (hoặc nhấp đúp, hoặc nhấn Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chuyển tiến độ sang kỳ sau</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sắp đến hạn (30 ngày)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hoàn thành</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tổng quan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nhiệm vụ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chưa chọn đơn vị.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chọn đơn vị và kỳ báo cáo ở thanh trên cùng.</source>
        <translation type="unfinished">Choose a unit and a period at the top.</translation>
    </message>
    <message>
        <source>Chọn kỳ báo cáo ở thanh trên cùng.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{label}: {headline}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{label}: đơn vị chưa có kế hoạch CCHC cho năm {y}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đơn vị chưa có kế hoạch CCHC nào.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đơn vị chưa có kế hoạch CCHC nào. Bấm “Nhập kế hoạch từ Excel…” để nhập bảng nhiệm vụ của kế hoạch.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không có kế hoạch nào của đơn vị áp dụng cho năm {y}. Chọn kỳ báo cáo khác, hoặc xem thẻ “Nhiệm vụ”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tất cả lĩnh vực</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tất cả cơ quan chủ trì</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chưa có kế hoạch nào.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đang lọc: {n}/{t} nhiệm vụ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{t} nhiệm vụ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chưa chọn kỳ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hãy chọn kỳ báo cáo để ghi tiến độ.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chép tiến độ (trạng thái, tỉ lệ, kết quả, khó khăn và tài liệu kiểm chứng) của các nhiệm vụ trong kế hoạch đang chọn từ kỳ {src} sang kỳ {dst}?

Nhiệm vụ đã có tiến độ ở kỳ nhận được giữ nguyên. Trạng thái quá hạn được xác định lại theo kỳ mới.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> hoặc </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chọn kỳ nhận: đơn vị báo cáo Quý III hay 9 tháng thì chọn kỳ đó.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sang {p}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hủy</source>
        <translation type="unfinished">Cancel</translation>
    </message>
    <message>
        <source>Chưa chuyển được tiến độ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> Chọn kỳ {dst} ở thanh trên cùng để xem.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chưa chọn đơn vị</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hãy chọn đơn vị ban hành kế hoạch ở thanh trên cùng.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã nhập kế hoạch: {n} nhiệm vụ.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã thêm vào danh mục đơn vị: {names}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProblemsPanel</name>
    <message>
        <source>&lt;b&gt;Lỗi và cảnh báo&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Danh sách lỗi và cảnh báo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nhấp đúp một dòng để đến ô số liệu; cảnh báo cần ghi chú lý do ở cột Ghi chú.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thu gọn danh sách lỗi và cảnh báo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mở danh sách lỗi và cảnh báo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không có lỗi hay cảnh báo nào.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (đã có ghi chú)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chỉ tiêu: {codes}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phải xử lý trước khi hoàn thành báo cáo.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nếu số liệu đúng, ghi chú lý do ở cột Ghi chú của một trong các chỉ tiêu trên.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReopenDialog</name>
    <message>
        <source>Mở lại báo cáo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ví dụ: Sở Nội vụ đề nghị bổ sung số liệu chỉ tiêu 3.4.2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mở lại</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hủy</source>
        <translation type="unfinished">Cancel</translation>
    </message>
    <message>
        <source>Báo cáo sẽ trở lại trạng thái “Nháp” để sửa. Khi mở lại, báo cáo sẽ lấy ngày chốt số liệu, số và ngày văn bản, người ký, Kính gửi, Nơi nhận, tình hình nhiệm vụ và quy tắc làm tròn theo cài đặt hiện tại; bản đã khóa được giữ trong lịch sử.

Lý do mở lại (bắt buộc, được ghi vào nhật ký):</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReportSettingsSection</name>
    <message>
        <source>Văn bản báo cáo (thể thức theo Nghị định 30/2020/NĐ-CP)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Người ký và nơi nhận</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kỳ báo cáo của đơn vị</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Khối chữ ký sẽ in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lưu cài đặt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hoàn lại</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bỏ các thay đổi chưa lưu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chọn đơn vị ở thanh phía trên.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thông tin in trên báo cáo của &lt;b&gt;{unit}&lt;/b&gt;. Các mục này dùng cho báo cáo Excel và PDF.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Để trống: ngày {v}, theo {who}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Để trống: ngày {v} (mặc định)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Để trống sẽ in:
{v}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Để trống sẽ in: {v}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Để trống: không in dòng cơ quan chủ quản</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chỉ cần khi ký KT., Q., TL., TUQ.: ví dụ CHỦ TỊCH</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chưa có: PDF để trống chỗ ghi họ tên</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(để trống: in “{p}”)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã lưu: {labels}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không có gì thay đổi.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;i&gt;(họ và tên người ký)&lt;/i&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ví dụ, kỳ {period}: {window}; hạn gửi báo cáo {due}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReturnEditor</name>
    <message>
        <source>Hủy</source>
        <translation type="unfinished">Cancel</translation>
    </message>
    <message>
        <source>Hoàn tác</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hoàn tác thao tác vừa làm (Ctrl+Z)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Làm lại</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Làm lại thao tác vừa hoàn tác (Ctrl+Y)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hoàn tác: {t} (Ctrl+Z)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hoàn tác (Ctrl+Z)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Làm lại: {t} (Ctrl+Y)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Làm lại (Ctrl+Y)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gõ để nhập · Enter: lưu và xuống ô dưới · Tab: sang ô kế tiếp · F2: sửa · Esc: hủy · Delete: để trống · KPS: Không phát sinh · Ctrl+V: dán từ Excel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;span style=&apos;color:#2563eb&apos;&gt;◤&lt;/span&gt; lấy từ Kế hoạch&amp;nbsp; &lt;span style=&apos;color:#d97706&apos;&gt;◤&lt;/span&gt; đã sửa khác</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dấu ở góc ô Số liệu: số nhiệm vụ chương trình tính từ Kế hoạch CCHC. Sửa khác đi thì cần ghi chú lý do.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lịch sử số liệu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hiện hoặc ẩn bảng bên phải: số liệu của chỉ tiêu đang chọn qua các kỳ, cùng kỳ các năm trước và chỉ tiêu kế hoạch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hoàn thành báo cáo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chuyển sang “Đã hoàn thành” (khóa số liệu). Không được khi còn lỗi hoặc cảnh báo chưa có ghi chú.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mở lại báo cáo…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nhật ký…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ai đã sửa gì, khi nào</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Số liệu thống kê</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nội dung báo cáo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lập báo cáo kỳ này</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chọn đơn vị và kỳ báo cáo ở thanh phía trên.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chưa có báo cáo của {unit} cho {period}.
Bấm “Lập báo cáo kỳ này” để tạo báo cáo ở trạng thái Nháp; số nhiệm vụ được lấy từ Kế hoạch CCHC.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Báo cáo đã hoàn thành: số liệu chỉ xem. Muốn sửa, bấm “Mở lại báo cáo…” và ghi lý do.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Báo cáo đã hoàn thành và được khóa nguyên trạng lúc {when} ({who}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Báo cáo đã hoàn thành trước khi nâng cấp chương trình; bản khóa được lưu lúc {when} ({who}), theo dữ liệu và cài đặt lúc đó.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bản khóa giữ nguyên số liệu, tình hình nhiệm vụ (Phụ lục II), nội dung thuyết minh, số và ngày văn bản, người ký, Kính gửi, Nơi nhận, kỳ số liệu ({window}), biểu mẫu {form} phiên bản {version} và quy tắc làm tròn: mọi lần xuất Excel, PDF đều in đúng như vậy, dù cài đặt thay đổi sau này. Muốn sửa, bấm “Mở lại báo cáo…” và ghi lý do.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Báo cáo được mở lại lúc {when} ({who}), lý do: {reason}. Khi mở lại, báo cáo lấy ngày chốt số liệu, số và ngày văn bản, người ký, Kính gửi, Nơi nhận, tình hình nhiệm vụ và quy tắc làm tròn theo cài đặt và dữ liệu hiện tại; bản đã khóa lúc {taken} được giữ trong lịch sử.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>So với bản đã khóa:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hiện chưa có gì khác với bản đã khóa.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chọn đơn vị và kỳ báo cáo.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chưa lập</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{unit} — {period}. {window}; hạn gửi báo cáo {due}. Trạng thái: &lt;b style=&apos;color:{colour}&apos;&gt;{status}&lt;/b&gt;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã có số liệu {filled}/{total} chỉ tiêu.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chỉ tiêu {code}: số liệu khác với số lấy từ Kế hoạch ({plan}). Hãy ghi chú lý do điều chỉnh ở cột Ghi chú.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chuyển báo cáo {unit} – {period} sang “Đã hoàn thành”?

Báo cáo được khóa nguyên trạng: số liệu, nhiệm vụ, thuyết minh, người ký, nơi nhận và kỳ số liệu; mọi lần xuất sau đều in đúng như vậy. Muốn sửa phải mở lại báo cáo và ghi lý do.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã chuyển báo cáo sang “Đã hoàn thành” và khóa nguyên trạng.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Còn {e} lỗi và {w} cảnh báo chưa có ghi chú: hãy sửa số liệu, hoặc ghi chú lý do nếu số liệu đúng.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Còn {n} chỉ tiêu chưa có số liệu: chỉ tiêu nào trong kỳ không xảy ra thì nhập “Không phát sinh” (hoặc KPS), chưa có số liệu thì ghi chú lý do.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} phần thuyết minh tự viết có số liệu đã thay đổi sau khi viết.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chưa hoàn thành được báo cáo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sau đó bấm “Hoàn thành báo cáo” lại.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>… và {n} mục khác (xem danh sách Lỗi và cảnh báo).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>• Chưa có số liệu ({n}): {codes}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>• Thuyết minh cần xem lại: {title}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đóng</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã mở lại báo cáo; có thể sửa số liệu. Báo cáo nay lấy cài đặt hiện tại (xem thông báo phía trên).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nhật ký báo cáo {unit} – {period}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lịch sử chỉ tiêu {code}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReturnGrid</name>
    <message>
        <source>(để trống)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dòng {code} là tiêu đề nhóm, không nhập số liệu (chỉ ghi chú).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chỉ nhập được vào cột Số liệu và cột Ghi chú.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không còn thao tác nào để hoàn tác.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không còn thao tác nào để làm lại.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hãy chọn ô đầu tiên cần dán.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>khối dán vượt ra ngoài biểu mẫu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cột “{col}” (dòng {code}) không nhập được</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không dán được, chưa ghi ô nào: {p}. Chỉ dán vào cột Số liệu và Ghi chú.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dán {n} ô</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Xóa {n} ô</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không phát sinh ({n} ô)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Xem lịch sử chỉ tiêu {code}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sao chép</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dán</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Xóa nội dung (để trống)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không phát sinh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hoàn tác</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Làm lại</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReturnGridModel</name>
    <message>
        <source>{message}
Đã tải lại số liệu mới; nhập lại nếu vẫn muốn sửa.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{message} Chưa ghi số liệu này.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không ghi ô nào trong {n} ô: {k} ô không hợp lệ ({codes}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Số liệu của kỳ trước ({period})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Số liệu của kỳ trước</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Để trống là “chưa có số liệu”, khác với 0.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nhập {code}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ghi chú {code}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không ghi được: {m}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Số liệu từ Kế hoạch là {plan}; đã sửa tay thành {value}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(trống)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nguồn: {s}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mã trả lời: {c}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chưa có số liệu (để trống khác với 0). Nếu trong kỳ không xảy ra, gõ KPS (Không phát sinh).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không phát sinh: trong kỳ không xảy ra (khác với để trống và khác với 0).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (đã có ghi chú)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cảnh báo cần ghi chú giải thích ở ô này.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReturnsPage</name>
    <message>
        <source>Xuất Excel</source>
        <translation>Export Excel</translation>
    </message>
    <message>
        <source>Xuất PDF</source>
        <translation>Export PDF</translation>
    </message>
    <message>
        <source>Xuất gói gửi cấp trên</source>
        <translation>Export package</translation>
    </message>
    <message>
        <source>Ký số</source>
        <translation>Sign</translation>
    </message>
    <message>
        <source>Ký số tệp xuất bằng chứng thư số của đơn vị (tệp .p12/.pfx hoặc thiết bị ký số); mã PIN được hỏi khi xuất và không được lưu.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lưu tệp Excel gửi cấp trên: các phụ lục và dữ liệu máy đọc có mã kiểm tra</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lưu bản báo cáo PDF để in và ký (thể thức theo Nghị định 30/2020/NĐ-CP)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lưu một tệp .zip gồm tệp Excel, báo cáo PDF và các tài liệu kiểm chứng đính kèm, cùng được niêm phong (và ký số) để gửi cấp trên</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chưa lập báo cáo kỳ này nên chưa có gì để xuất.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>gói báo cáo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tệp Excel báo cáo {period}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tệp PDF báo cáo {period}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>gói báo cáo {period}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đang xuất {what} báo cáo {period}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thiếu tài liệu kiểm chứng trong gói</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không đưa được vào gói các tệp sau:
{files}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ScorePanel</name>
    <message>
        <source>Dùng điểm đề xuất</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Giải trình (bắt buộc khi chưa đạt điểm tối đa)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lý do thẩm định (bắt buộc khi khác điểm tự chấm)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thêm tài liệu kiểm chứng…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hướng dẫn chấm điểm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tài liệu kiểm chứng yêu cầu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Giải trình</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lý do thẩm định</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tài liệu đã gắn (kéo thả tệp vào dòng tiêu chí)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tài liệu kiểm chứng đơn vị gửi</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chưa có bảng điểm của đơn vị này.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>KAD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tổng tự chấm {p}/{m} điểm{i}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sau thẩm định {p}/{m} điểm — Chỉ số CCHC {i}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chọn một tiêu chí</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(không có)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đề xuất: {src}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không ghi được điểm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chọn tài liệu kiểm chứng</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không gắn được tài liệu</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Sao lưu ngay</source>
        <translation>Back up now</translation>
    </message>
    <message>
        <source>Phục hồi từ bản sao lưu…</source>
        <translation>Restore from a backup…</translation>
    </message>
    <message>
        <source>Ngôn ngữ giao diện</source>
        <translation>Interface language</translation>
    </message>
    <message>
        <source>Ngôn ngữ giao diện:</source>
        <translation>Interface language:</translation>
    </message>
    <message>
        <source>(có hiệu lực khi mở lại chương trình)</source>
        <translation>(takes effect when the program is restarted)</translation>
    </message>
    <message>
        <source>&lt;b&gt;Cơ sở dữ liệu và sao lưu&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Các bản sao lưu (tự động khi mở, đóng chương trình và trước mỗi thay đổi lớn):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thông tin báo cáo của đơn vị</source>
        <translation>Report details</translation>
    </message>
    <message>
        <source>Chữ ký số</source>
        <translation>Digital signature</translation>
    </message>
    <message>
        <source>Cách chọn cột đã lưu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cơ sở dữ liệu và sao lưu</source>
        <translation>Database and backups</translation>
    </message>
    <message>
        <source>Đơn vị</source>
        <translation type="unfinished">Unit</translation>
    </message>
    <message>
        <source>Tệp cơ sở dữ liệu: &lt;b&gt;{path}&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cơ sở dữ liệu trên máy chủ được sao lưu và phục hồi bằng công cụ của máy chủ (pg_dump, pg_restore), không từ chương trình.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chưa sao lưu được</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sao lưu</source>
        <translation>Backup</translation>
    </message>
    <message>
        <source>Đang sao lưu cơ sở dữ liệu…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã sao lưu vào:
{p}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chọn bản sao lưu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cơ sở dữ liệu (*.db);;Mọi tệp (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phục hồi dữ liệu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Toàn bộ dữ liệu hiện tại sẽ được thay bằng bản sao lưu:
{f}

Dữ liệu hiện tại được sao lưu trước khi phục hồi. Tiếp tục?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phục hồi</source>
        <translation>Restore</translation>
    </message>
    <message>
        <source>Hủy</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Không phục hồi được</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đang phục hồi dữ liệu từ bản sao lưu…
Xin đợi, không tắt chương trình.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã phục hồi. Dữ liệu trước đó được giữ ở:
{p}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TargetsDialog</name>
    <message>
        <source>Chỉ tiêu kế hoạch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chỉ tiêu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cách tính</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Câu trong kế hoạch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chỉ tiêu đã xác nhận</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chọn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Câu trong văn bản kế hoạch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>So sánh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Giá trị</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chỉ tiêu thống kê</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chia cho (tỉ lệ)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đọc văn bản kế hoạch (.txt)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lưu các chỉ tiêu đã chọn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Các đề xuất chưa được lưu. Đánh dấu “Chọn”, gắn với chỉ tiêu thống kê (và mẫu số nếu là tỉ lệ giữa hai chỉ tiêu) rồi bấm “Lưu các chỉ tiêu đã chọn”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đề xuất từ văn bản kế hoạch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đóng</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;{title}&lt;/b&gt; ({y1}–{y2})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chưa có đề xuất: kế hoạch chưa có văn bản nêu chỉ tiêu định lượng. Bấm “Đọc văn bản kế hoạch (.txt)…” để đọc các dòng “Mục tiêu” của kế hoạch.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(chọn chỉ tiêu)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(không)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Văn bản kế hoạch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Văn bản (*.txt)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không đọc được văn bản</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chưa chọn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hãy đánh dấu “Chọn” ở các đề xuất cần lưu.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>dòng {n}: chưa gắn với chỉ tiêu thống kê</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>dòng {n}: {msg}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chưa lưu chỉ tiêu nào</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TaskDetailDialog</name>
    <message>
        <source>Chi tiết nhiệm vụ và tiến độ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đóng</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chưa lưu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tiến độ đã sửa chưa được lưu. Lưu trước khi đóng?</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TaskDetailPanel</name>
    <message>
        <source>Nội dung nhiệm vụ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mục tiêu:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nhiệm vụ:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sản phẩm:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cơ quan chủ trì:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cơ quan phối hợp:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thời gian thực hiện:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thời hạn:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hoạt động:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>0–100</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kết quả đạt được, văn bản đã ban hành…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Khó khăn, vướng mắc và kiến nghị (nếu có)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trạng thái:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đánh giá:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chương trình tự xác định từ thời hạn của nhiệm vụ, ngày chốt số liệu của kỳ và ngày hoàn thành, theo tiến độ đã lưu.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ngày hoàn thành:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tỉ lệ hoàn thành:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kết quả thực hiện:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Khó khăn, vướng mắc:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lưu tiến độ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lưu (Ctrl+S)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Số, ký hiệu văn bản</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ngày</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trích yếu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tệp đính kèm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ghi nhận ở kỳ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thêm…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mở tệp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Xóa</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tài liệu kiểm chứng</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tiến độ thực hiện — {period} (số liệu đến ngày {d})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nhiệm vụ {n}: {t}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; hạn áp dụng cho kỳ này: {d}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chưa đọc được: “{c}” (hãy đọc văn bản gốc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>chưa đọc được</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{label} &lt;span style=&apos;font-weight: normal; color: #555;&apos;&gt;(tự xác định theo thời hạn, theo tiến độ đã lưu)&lt;/span&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>kỳ này</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tài liệu kiểm chứng ({n})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chỉ ghi ngày hoàn thành khi chọn “Hoàn thành”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không có gì thay đổi.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã lưu.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không mở được tệp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không tìm thấy tệp “{name}” trong thư mục dữ liệu ({path}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Xóa tài liệu kiểm chứng</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Xóa “{name}” khỏi danh sách tài liệu kiểm chứng của nhiệm vụ?
Bản sao của tệp vẫn được giữ trong thư mục dữ liệu.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TaskTreeModel</name>
    <message>
        <source>(Chưa xếp lĩnh vực)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{area}: {n} nhiệm vụ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chưa đọc được</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thời gian thực hiện có phần chưa đọc được; hãy đọc lại: {t}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã quá hạn {d} mà chưa hoàn thành</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sắp đến hạn (trong 30 ngày)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} tài liệu kiểm chứng</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>chuyển từ kỳ {p}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hoạt động: {t}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UnitForm</name>
    <message>
        <source>Ghi</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hủy</source>
        <translation type="unfinished">Cancel</translation>
    </message>
    <message>
        <source>{label}: “{text}” {problem}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UnitSettingsSection</name>
    <message>
        <source>Đơn vị</source>
        <translation type="unfinished">Unit</translation>
    </message>
    <message>
        <source>Mã</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cấp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hiệu lực từ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đến</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ghi chú</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thêm đơn vị…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đổi tên…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chuyển…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đóng đơn vị…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sáp nhập xã…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chuyển đơn vị đang chọn sang trực thuộc đơn vị cha khác</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cây đơn vị với cấp và thời gian hiệu lực. Mã đơn vị không được dùng lại; đơn vị thôi tồn tại được đóng (giữ nguyên số liệu), không bị xóa. Mọi thay đổi được ghi nhật ký.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sáp nhập từ {codes}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>đã sáp nhập vào {code}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(cấp cao nhất)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mã đơn vị (mới):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ví dụ MH.XHB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tên đơn vị:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ví dụ UBND xã Hòa Bình</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cấp:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trực thuộc:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hiệu lực từ ngày:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>dd/mm/yyyy (để trống nếu không rõ)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hiệu lực từ ngày</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã thêm {name} ({code}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thêm đơn vị</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tên mới của {code}:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã đổi tên {code} thành “{name}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đổi tên đơn vị</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trực thuộc đơn vị:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} nay trực thuộc {parent}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cấp cao nhất</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chuyển đơn vị {code}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ngày cuối cùng còn tồn tại:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ngày cuối cùng</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} thôi tồn tại sau ngày {d}; số liệu được giữ.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đóng đơn vị {code}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Các xã, phường cũ:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mã đơn vị mới:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mã chưa từng dùng, ví dụ MH.XHB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tên đơn vị mới:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ngày có hiệu lực:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>dd/mm/yyyy, ví dụ 01/07/2025</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Các đơn vị cũ thôi tồn tại từ ngày hôm trước và giữ nguyên số liệu.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ngày có hiệu lực</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã ghi nhận {name} ({code}) từ {d}, sáp nhập từ {olds}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sáp nhập đơn vị</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ValueHistoryPanel</name>
    <message>
        <source>Kỳ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Số liệu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cùng kỳ các năm trước:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Chỉ tiêu kế hoạch&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chọn một chỉ tiêu để xem số liệu các kỳ trước.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;{code}&lt;/b&gt;. {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(trống)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(chưa có)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kế hoạch chưa có chỉ tiêu định lượng (thêm bằng lệnh targets add).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>crash</name>
    <message>
        <source>Chương trình gặp một lỗi không lường trước.

Dữ liệu của bạn không bị mất: mọi thay đổi đã được lưu vào cơ sở dữ liệu ngay khi nhập. Bạn có thể tiếp tục làm việc, hoặc đóng rồi mở lại chương trình.

Chi tiết lỗi đã được ghi vào tệp nhật ký:
{path}

Khi cần hỗ trợ, hãy gửi tệp này cho cán bộ kỹ thuật.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lỗi chương trình</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mở thư mục nhật ký</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đóng</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>parent</name>
    <message>
        <source>&lt;h3&gt;{title}&lt;/h3&gt;&lt;p&gt;Phiên bản {version}&lt;/p&gt;&lt;p&gt;Theo dõi kế hoạch cải cách hành chính, nhập số liệu thống kê, lập báo cáo định kỳ (Excel, PDF) và tổng hợp báo cáo của các đơn vị cấp dưới. Chạy hoàn toàn không cần mạng.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Cơ sở dữ liệu:&lt;/b&gt; {db}&lt;br&gt;&lt;b&gt;Nhật ký lỗi:&lt;/b&gt; {logs}&lt;/p&gt;&lt;p&gt;Phông chữ Liberation Serif theo giấy phép SIL Open Font License 1.1.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Giới thiệu</source>
        <translation type="unfinished">About</translation>
    </message>
    <message>
        <source>Mở thư mục nhật ký</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đóng</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chọn tệp Excel chứa bảng nhiệm vụ của kế hoạch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bảng tính Excel (*.xlsx *.xlsm);;Mọi tệp (*)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>window</name>
    <message>
        <source>Xóa tài liệu kiểm chứng</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Xóa tài liệu kiểm chứng này khỏi nhiệm vụ?</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
