n = int(input())
words = input().split()
print(min(words))
