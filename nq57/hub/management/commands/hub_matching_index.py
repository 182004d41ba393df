"""(Re)build the hub's vector index: k-means centroids of the stored embeddings, each item's nearest list."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = ("Dựng lại chỉ mục vectơ ghép nối của Sàn 3 Nhà (tâm cụm k-means của các vectơ đã lưu; mỗi mục nhận "
            "cụm gần nhất). Chạy sau khi nhập hàng loạt, hoặc định kỳ hằng đêm.")

    def add_arguments(self, parser):
        parser.add_argument("--lists", type=int, default=None, help="số cụm (mặc định: căn bậc hai số mục)")
        parser.add_argument("--sample", type=int, default=20_000, help="số vectơ lấy mẫu để tính tâm cụm")

    def handle(self, *args, lists=None, sample=20_000, **options):
        from nq57.hub.matching import build_vector_index

        for kind in ("offer", "problem"):
            built = build_vector_index(kind, lists=lists, sample=sample)
            self.stdout.write(f"{kind}: {built['items']} mục, {built['lists']} cụm")
