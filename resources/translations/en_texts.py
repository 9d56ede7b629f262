"""English texts for ``cchc_en.ts`` (context → Vietnamese source → English), applied by
``build_translations.py`` after lupdate. Only part of the interface is translated yet: the English
file proves the pipeline; untranslated strings fall back to Vietnamese."""

EN = {
    "MainWindow": {
        "Đơn vị": "Unit", "Kỳ báo cáo": "Reporting period", "Chọn đơn vị và kỳ": "Choose unit and period",
        " Đơn vị: ": " Unit: ", "   Kỳ báo cáo: ": "   Period: ", "Kế hoạch & nhiệm vụ": "Plans & tasks",
        "Báo cáo định kỳ": "Periodic report", "Tổng hợp": "Consolidation", "Trang chủ": "Home",
        "Cài đặt": "Settings", "Đang mở cơ sở dữ liệu…": "Opening the database…", "&Tệp": "&File",
        "Nhập kế hoạch từ Excel…": "Import plan from Excel…", "Sao lưu ngay": "Back up now", "Thoát": "Exit",
        "&Trợ giúp": "&Help", "Giới thiệu": "About", " (hết hiệu lực {d})": " (closed {d})",
        "(Chưa có đơn vị — nhập danh mục đơn vị)": "(No units yet — import the unit list)",
        "Cơ sở dữ liệu: {path}": "Database: {path}", "Chưa có bản sao lưu": "No backup yet",
        "Sao lưu gần nhất: {d} {t}": "Last backup: {d} {t}",
        "Hướng dẫn sử dụng": "User guide", "Đơn vị…": "Units…",
    },
    "HomePage": {
        "Nhiệm vụ trong kế hoạch": "Plan tasks", "Báo cáo số liệu thống kê của đơn vị": "The unit's statistical return",
        "Tiếp nhận báo cáo của đơn vị trực thuộc": "Returns from subordinate units",
        "Bấm vào một dòng để mở màn hình tương ứng.": "Click a line to open its screen.",
        "Chọn đơn vị và kỳ báo cáo ở thanh trên cùng.": "Choose a unit and a period at the top.",
        "{unit} — {period}": "{unit} — {period}",
        "Đang tải số liệu của kỳ báo cáo…": "Loading the period's figures…",
        "Không tải được số liệu của Trang chủ.": "The Home figures could not be loaded.",
    },
    "SettingsPage": {
        "Sao lưu ngay": "Back up now", "Phục hồi từ bản sao lưu…": "Restore from a backup…",
        "Ngôn ngữ giao diện": "Interface language", "Ngôn ngữ giao diện:": "Interface language:",
        "(có hiệu lực khi mở lại chương trình)": "(takes effect when the program is restarted)",
        "Thông tin báo cáo của đơn vị": "Report details", "Chữ ký số": "Digital signature",
        "Cơ sở dữ liệu và sao lưu": "Database and backups", "Thời điểm": "Time", "Lý do": "Reason", "Tệp": "File",
        "Sao lưu": "Backup", "Phục hồi": "Restore", "Hủy": "Cancel",
    },
    "ReturnsPage": {
        "Xuất Excel": "Export Excel", "Xuất PDF": "Export PDF", "Xuất gói gửi cấp trên": "Export package",
        "Ký số": "Sign",
    },
}
